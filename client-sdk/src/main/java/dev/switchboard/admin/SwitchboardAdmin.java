package dev.switchboard.admin;

import dev.switchboard.admin.impl.HttpAdmin;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The server API of a Switchboard cluster ({@code /api/v1/}), for an application's backends: one HTTP request per
 * call (the JDK's {@link java.net.http.HttpClient}), authorized by an API key. Any node answers for the whole cluster.
 * Thread-safe; nothing to close.
 *
 * <pre>{@code
 * SwitchboardAdmin admin = SwitchboardAdmin.create("http://localhost:8080", System.getenv("SWITCHBOARD_API_KEY"));
 * admin.publish("news.eu", Map.of("headline", "hello")).join();
 * admin.disconnect("mallory").join();
 * }</pre>
 *
 * <p>Every call returns at once with a future. A refusal fails it with an {@link AdminException} (the HTTP status and
 * the error code, e.g. 400 {@code invalid_topic}, 403 {@code forbidden} for a wrong key, 404 {@code not_enabled} for
 * a topic without history); no answer at all fails it with the HTTP client's {@link java.io.IOException}; an argument
 * that cannot be sent (null, data that is not JSON) with an {@link IllegalArgumentException} or
 * {@link NullPointerException}, before anything is sent. Page sizes ({@code limit}) are 1 to 1000.
 */
public interface SwitchboardAdmin {
  /** The page size the node uses when none is asked for. */
  int DEFAULT_LIMIT = 100;

  /** An admin client with {@code options}. */
  static SwitchboardAdmin create(AdminOptions options) {
    return new HttpAdmin(Objects.requireNonNull(options, "options"));
  }

  /** An admin client of the node (or load balancer) at {@code baseUrl} with {@code apiKey}, the other defaults. */
  static SwitchboardAdmin create(String baseUrl, String apiKey) {
    return create(AdminOptions.builder().baseUrl(baseUrl).apiKey(apiKey).build());
  }

  /**
   * Publishes {@code data} to {@code topic} (a concrete topic) for every subscriber on every node. {@code data} is
   * written as {@link dev.switchboard.client.SwitchboardClient#publish} writes it (maps, lists, records, beans,
   * {@link dev.switchboard.client.Json}, ...). Completes once the node took it: handed to the cluster, or stored with
   * its position on a history topic.
   */
  CompletableFuture<PublishResult> publish(String topic, Object data);

  /**
   * Publishes {@code data} to each of {@code topics} (1 to 1000): one result per topic, in order, each published or
   * refused on its own (an invalid topic refuses that topic only).
   */
  CompletableFuture<List<BroadcastResult>> broadcast(List<String> topics, Object data);

  /**
   * A page of a history topic's stored messages, in {@code order}, starting after {@code since} (the previous page's
   * {@link AdminPage#next()}; null: from the newest, or the oldest), at most {@code limit}.
   */
  CompletableFuture<AdminPage<HistoryItem>> history(String topic, HistoryOrder order, String since, int limit);

  /**
   * Closes every connection of {@code user} (WebSocket and SSE) on every node with 4501 {@code disconnected}: the
   * Switchboard clients do not reconnect on their own.
   */
  CompletableFuture<DisconnectResult> disconnect(String user);

  /**
   * Closes every connection of {@code user} on every node with {@code code}: 4000–4499 and the clients reconnect,
   * 4500–4999 and they do not.
   */
  CompletableFuture<DisconnectResult> disconnect(String user, int code);

  /**
   * Drops the subscription to {@code topic} (a topic or pattern, exactly as subscribed) from every connection of
   * {@code user} on every node; each is told with an {@code unsubscribed} frame whose reason is {@code server}.
   */
  CompletableFuture<UnsubscribeResult> unsubscribe(String user, String topic);

  /** The cluster's nodes, connections and live topics, as the answering node sees them. */
  CompletableFuture<ClusterInfo> info();

  /**
   * A page of the live topics and patterns that {@code pattern} matches (null: all), ordered by name, after
   * {@code after} (the previous page's {@link AdminPage#next()}; null: from the first).
   */
  CompletableFuture<AdminPage<TopicInfo>> topics(String pattern, String after, int limit);

  /**
   * A page of the members of a topic that keeps presence ({@code --presence}), ordered by client, after
   * {@code after} (null: from the first): the same page as {@link dev.switchboard.client.SwitchboardClient#presence}.
   */
  CompletableFuture<PresencePage> presence(String topic, String after, int limit);

  /** A presence topic's subscriptions and distinct users. */
  CompletableFuture<PresenceStats> presenceStats(String topic);
}
