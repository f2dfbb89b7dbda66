package dev.switchboard.examples;

import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A chat room on the command line: every line typed is published to {@code chat.<room>}, every message of the room is
 * printed as {@code [from] text}.
 *
 * <pre>
 * java dev.switchboard.examples.Chat &lt;name&gt; [room] [--server ws://127.0.0.1:8080/ws ...]
 * </pre>
 */
public final class Chat {
  private static final String USAGE = "usage: Chat <name> [room] [--server ws://127.0.0.1:8080/ws ...]";

  private Chat() {
  }

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args, USAGE, "server");
    if (parsed.positional().isEmpty() || parsed.positional().size() > 2) {
      throw Args.fail(USAGE);
    }
    String name = parsed.positional().get(0);
    String room = parsed.positional().size() > 1 ? parsed.positional().get(1) : "lobby";
    String topic = "chat." + room;

    SwitchboardClient client = parsed.connect(Chat::printEvent, USAGE);
    try {
      client.subscribe(topic, Chat::printMessage).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.out.println("* cannot join " + topic + ": " + e.getCause().getMessage() + " (servers: "
          + parsed.servers() + ")");
      client.close();
      System.exit(1);
    }
    System.out.println("* joined " + topic + " as " + name + "; type a line to send it, end of input to leave");

    CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    try (client; BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          last = client.publish(topic, Map.of("from", name, "text", line)).toCompletableFuture();
          last.whenComplete((ok, error) -> {
            if (error != null) {
              System.out.println("* not sent: " + error.getMessage());
            }
          });
        }
      }
      // Publishes are answered in order: when the last is done, all are. Then close.
      last.handle((ok, error) -> null).get(30, TimeUnit.SECONDS);
    }
  }

  private static void printMessage(Message message) {
    if (message.data() instanceof Map<?, ?> chat && chat.get("text") != null) {
      System.out.println("[" + chat.get("from") + "] " + chat.get("text"));
    } else {
      System.out.println("[?] " + message.json());
    }
  }

  private static void printEvent(ConnectionEvent event) {
    switch (event.type()) {
      case CONNECTED -> System.out.println("* connected to node " + event.nodeId() + " at " + event.url());
      case RECONNECTED -> System.out.println("* reconnected to node " + event.nodeId() + " at " + event.url());
      case DISCONNECTED -> System.out.println("* disconnected from node " + event.nodeId() + " ("
          + (event.closeCode() == 0 ? "connection lost" : event.closeCode() + " " + event.reason()) + "), reconnecting");
      case CLOSED -> System.out.println("* closed" + (event.reason() == null ? "" : ": " + event.reason()));
      default -> System.out.println("* " + event);
    }
  }
}
