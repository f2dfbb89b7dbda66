package dev.switchboard.broker.auth;

import dev.switchboard.broker.NodeStats;
import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Vertx;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's security, shared by its event loops: the token verifier (when authentication is required), the
 * node's client slots, the per-user connection counts and publish buckets, the topic limits, the server API's keys, and
 * the one place a refusal is counted and logged.
 */
public final class Security {
  private static final Logger LOG = Logger.getLogger(Security.class.getName());

  public final SecurityOptions options;
  /** Null when the node is anonymous. */
  public final TokenVerifier verifier;
  public final UserConnections users;
  /** The node's clients, WebSocket sessions and SSE streams together, against {@code --max-connections}. */
  public final NodeSlots slots;
  /** The server API's keys; null when the server API is off. */
  public final ApiKeys apiKeys;
  private final NodeStats.Recorder stats;

  Security(SecurityOptions options, TokenVerifier verifier, ApiKeys apiKeys, NodeStats.Recorder stats) {
    this.options = options;
    this.verifier = verifier;
    this.apiKeys = apiKeys;
    this.users = new UserConnections(options.maxConnectionsPerUser(), options.userPublishRate());
    this.slots = new NodeSlots(options.maxConnections());
    this.stats = stats;
  }

  public static Security create(Vertx vertx, SecurityOptions options, NodeStats.Recorder stats) {
    return new Security(options, options.authRequired() ? TokenVerifier.create(vertx, options) : null,
        options.serverApi() ? ApiKeys.watch(vertx, options.apiKeyFile()) : null, stats);
  }

  public boolean authRequired() {
    return verifier != null;
  }

  /** Counts a refusal and logs it at FINE: {@code who} is a session id or a remote address. */
  public void refused(String who, Refusal refusal, String detail) {
    stats.refused(refusal.reason);
    LOG.log(Level.FINE, () -> "session " + who + " refused (" + refusal.reason + "): " + detail);
  }

  /** Why {@code topic} (already valid by grammar) breaks the node's length or depth limit, or null. */
  String topicLimit(String topic) {
    if (topic.length() > options.maxTopicLength()) {
      return "topic is longer than " + options.maxTopicLength() + " characters";
    }
    if (options.maxTopicDepth() < Topics.MAX_SEGMENTS) {
      int segments = 1;
      for (int i = 0; i < topic.length(); i++) {
        if (topic.charAt(i) == '.' && ++segments > options.maxTopicDepth()) {
          return "topic has more than " + options.maxTopicDepth() + " segments";
        }
      }
    }
    return null;
  }
}
