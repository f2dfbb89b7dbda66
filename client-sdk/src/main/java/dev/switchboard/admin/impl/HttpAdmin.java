package dev.switchboard.admin.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.admin.AdminOptions;
import dev.switchboard.admin.AdminPage;
import dev.switchboard.admin.BroadcastResult;
import dev.switchboard.admin.ClusterInfo;
import dev.switchboard.admin.DisconnectResult;
import dev.switchboard.admin.HistoryItem;
import dev.switchboard.admin.HistoryOrder;
import dev.switchboard.admin.PublishResult;
import dev.switchboard.admin.SwitchboardAdmin;
import dev.switchboard.admin.TopicInfo;
import dev.switchboard.admin.UnsubscribeResult;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import dev.switchboard.client.impl.JsonCodec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The admin client on the JDK's HTTP client: one request per call, the key in {@code X-API-Key}, the answer read by
 * {@link AdminJson}. The returned futures are completed with the result or the cause itself (an
 * {@link dev.switchboard.admin.AdminException}, an {@link java.io.IOException}), not wrapped, on the HTTP client's
 * executor. Internal: public only so that {@link SwitchboardAdmin#create} can make one.
 */
public final class HttpAdmin implements SwitchboardAdmin {
  static final String PREFIX = "/api/v1";
  static final String KEY_HEADER = "X-API-Key";

  private final AdminOptions options;
  private final HttpClient http;
  /** The base URL without a trailing slash. */
  private final String base;

  public HttpAdmin(AdminOptions options) {
    this.options = options;
    this.http = options.httpClient() != null ? options.httpClient()
        : HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    String url = options.baseUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public CompletableFuture<PublishResult> publish(String topic, Object data) {
    Objects.requireNonNull(topic, "topic");
    return post("/publish", () -> AdminJson.object(g -> {
      g.writeStringField("topic", topic);
      g.writeFieldName("data");
      g.writeRawValue(JsonCodec.toJson(data));
    }), AdminJson::published);
  }

  @Override
  public CompletableFuture<List<BroadcastResult>> broadcast(List<String> topics, Object data) {
    List<String> named = List.copyOf(Objects.requireNonNull(topics, "topics"));
    return post("/broadcast", () -> AdminJson.object(g -> {
      g.writeArrayFieldStart("topics");
      for (String topic : named) {
        g.writeString(topic);
      }
      g.writeEndArray();
      g.writeFieldName("data");
      g.writeRawValue(JsonCodec.toJson(data));
    }), AdminJson::broadcast);
  }

  @Override
  public CompletableFuture<AdminPage<HistoryItem>> history(String topic, HistoryOrder order, String since,
                                                           int limit) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(order, "order");
    return get("/history?topic=" + q(topic) + "&order=" + order.name().toLowerCase(Locale.ROOT) + "&limit=" + limit
        + (since == null ? "" : "&since=" + q(since)), AdminJson::history);
  }

  @Override
  public CompletableFuture<DisconnectResult> disconnect(String user) {
    Objects.requireNonNull(user, "user");
    return post("/disconnect", () -> AdminJson.object(g -> g.writeStringField("user", user)),
        AdminJson::disconnected);
  }

  @Override
  public CompletableFuture<DisconnectResult> disconnect(String user, int code) {
    Objects.requireNonNull(user, "user");
    return post("/disconnect", () -> AdminJson.object(g -> {
      g.writeStringField("user", user);
      g.writeNumberField("code", code);
    }), AdminJson::disconnected);
  }

  @Override
  public CompletableFuture<UnsubscribeResult> unsubscribe(String user, String topic) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(topic, "topic");
    return post("/unsubscribe", () -> AdminJson.object(g -> {
      g.writeStringField("user", user);
      g.writeStringField("topic", topic);
    }), AdminJson::unsubscribed);
  }

  @Override
  public CompletableFuture<ClusterInfo> info() {
    return get("/info", AdminJson::info);
  }

  @Override
  public CompletableFuture<AdminPage<TopicInfo>> topics(String pattern, String after, int limit) {
    return get("/topics?limit=" + limit + (pattern == null ? "" : "&pattern=" + q(pattern))
        + (after == null ? "" : "&after=" + q(after)), AdminJson::topics);
  }

  @Override
  public CompletableFuture<PresencePage> presence(String topic, String after, int limit) {
    Objects.requireNonNull(topic, "topic");
    return get("/presence?topic=" + q(topic) + "&limit=" + limit + (after == null ? "" : "&after=" + q(after)),
        AdminJson::presence);
  }

  @Override
  public CompletableFuture<PresenceStats> presenceStats(String topic) {
    Objects.requireNonNull(topic, "topic");
    return get("/presence_stats?topic=" + q(topic), AdminJson::presenceStats);
  }

  @Override
  public String toString() {
    return "SwitchboardAdmin[" + base + "]";
  }

  /** What makes a request's body; it may refuse the arguments ({@link IllegalArgumentException}). */
  private interface Body {
    String make();
  }

  private <T> CompletableFuture<T> post(String path, Body body, Function<JsonNode, T> read) {
    String json;
    try {
      json = body.make();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .header("content-type", "application/json"), read);
  }

  private <T> CompletableFuture<T> get(String pathAndQuery, Function<JsonNode, T> read) {
    return send(request(pathAndQuery).GET(), read);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + PREFIX + pathAndQuery))
        .timeout(options.requestTimeout())
        .header(KEY_HEADER, options.apiKey())
        .header("accept", "application/json");
  }

  private <T> CompletableFuture<T> send(HttpRequest.Builder request, Function<JsonNode, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .whenComplete((answer, failure) -> {
          if (failure != null) {
            result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure);
            return;
          }
          try {
            result.complete(read.apply(AdminJson.answer(answer.statusCode(), answer.body())));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
