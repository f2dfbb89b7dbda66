package dev.switchboard.client;

import dev.switchboard.client.impl.SwitchboardClientImpl;
import java.util.Objects;

/**
 * The entry point of the Switchboard Java client.
 *
 * <pre>{@code
 * SwitchboardClient client = Switchboard.connect(ClientOptions.builder().servers("ws://localhost:8080/ws").build());
 * client.subscribe("news.*", m -> System.out.println(m.topic() + " " + m.json()));
 * client.publish("news.eu", Map.of("headline", "hello")).toCompletableFuture().join();
 * client.close();
 * }</pre>
 */
public final class Switchboard {
  private Switchboard() {
  }

  /**
   * Creates a client and returns at once. The client connects in the background, to the first server of
   * {@link ClientOptions#servers()}, and keeps reconnecting (see {@link ClientOptions}) until it is closed.
   * {@link SwitchboardClient#subscribe subscribe} and {@link SwitchboardClient#publish publish} may be called right
   * away: they are queued until the connection is up.
   */
  public static SwitchboardClient connect(ClientOptions options) {
    return SwitchboardClientImpl.start(Objects.requireNonNull(options, "options"));
  }
}
