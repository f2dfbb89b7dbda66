package dev.switchboard.broker.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server API's commands to the clients of one user, on every node: end them ({@code disconnect}), or drop one of
 * their subscriptions ({@code unsubscribe}). Each node serves a clustered event-bus address of its own,
 * {@value #PREFIX}{@code <node id>}, and carries a command out on each of its event loops ({@link HubClients}),
 * answering with how many connections it closed or subscriptions it dropped. The node that took the API request sends
 * the command to every member the cluster lists, one request each, all at once, each bounded by {@link #TIMEOUT_MS},
 * and sums the answers. A member that does not answer in time (stuck, cut off, or without the address: still
 * starting, or of an earlier version) is counted as not answered; a member that joins while the command is on its way
 * is not asked. Addressing each node, rather than publishing to all, is what tells the caller which ones answered.
 */
public final class ClientCommands {
  static final String PREFIX = "sb.clients.";
  /** How long the caller waits for each node's answer. */
  public static final long TIMEOUT_MS = 5_000;
  private static final Logger LOG = Logger.getLogger(ClientCommands.class.getName());

  /** What a command did: clients affected in all, members asked, members that answered. */
  public record Outcome(int count, int nodes, int answered) {
  }

  private ClientCommands() {
  }

  /**
   * Serves this node's address: each command is carried out on every hub {@code hubs} gives at the time (the node's
   * event loops). The consumer goes when Vert.x closes.
   */
  public static Future<MessageConsumer<JsonObject>> serve(Vertx vertx, String nodeId, Supplier<List<Hub>> hubs) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(PREFIX + nodeId,
        message -> carryOut(message, hubs.get()));
    return consumer.completion().map(consumer);
  }

  /** Ends every connection of {@code user} on every node with {@code code} (4000–4999). */
  public static Future<Outcome> disconnect(Vertx vertx, Collection<String> nodes, String user, int code) {
    return everywhere(vertx, nodes, new JsonObject().put("op", "disconnect").put("user", user).put("code", code));
  }

  /** Drops {@code topic} (exactly as subscribed) from every connection of {@code user} on every node. */
  public static Future<Outcome> unsubscribe(Vertx vertx, Collection<String> nodes, String user, String topic) {
    return everywhere(vertx, nodes, new JsonObject().put("op", "unsubscribe").put("user", user).put("topic", topic));
  }

  private static Future<Outcome> everywhere(Vertx vertx, Collection<String> nodes, JsonObject command) {
    DeliveryOptions bounded = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);
    List<Future<Integer>> answers = new ArrayList<>();
    for (String node : nodes) {
      answers.add(vertx.eventBus().<JsonObject>request(PREFIX + node, command, bounded)
          .map(reply -> reply.body().getInteger("count", 0))
          .onFailure(e -> LOG.log(Level.WARNING, () -> "server API: node " + node + " did not carry out "
              + command.getString("op") + ": " + e.getMessage())));
    }
    return Future.join(answers).transform(ar -> {
      int count = 0;
      int answered = 0;
      for (Future<Integer> answer : answers) {
        if (answer.succeeded()) {
          count += answer.result();
          answered++;
        }
      }
      return Future.succeededFuture(new Outcome(count, answers.size(), answered));
    });
  }

  /** One command on this node: on each hub's event loop, then the sum as the answer. */
  private static void carryOut(Message<JsonObject> message, List<Hub> hubs) {
    JsonObject command = message.body();
    String op = command.getString("op");
    String user = command.getString("user");
    if (user == null || !("disconnect".equals(op) || "unsubscribe".equals(op))) {
      message.fail(400, "not a command of this node's version: " + command.encode());
      return;
    }
    List<Future<Integer>> counts = new ArrayList<>();
    for (Hub hub : hubs) {
      Promise<Integer> count = Promise.promise();
      hub.later(() -> {
        try {
          count.complete("disconnect".equals(op) ? HubClients.disconnect(hub, user, command.getInteger("code"))
              : HubClients.drop(hub, user, command.getString("topic")));
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, "server API: " + op + " for user " + user + " failed", e);
          count.fail(e);
        }
      });
      counts.add(count.future());
    }
    Future.all(counts).onComplete(ar -> {
      if (ar.failed()) {
        message.fail(500, String.valueOf(ar.cause()));
        return;
      }
      int sum = counts.stream().mapToInt(Future::result).sum();
      LOG.log(Level.FINE, () -> "server API: " + op + " for user " + user + ": " + sum + " here");
      message.reply(new JsonObject().put("count", sum));
    });
  }
}
