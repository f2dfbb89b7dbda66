package dev.switchboard.broker.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP requests to a node on 127.0.0.1 with Vert.x's client, for tests with a {@code VertxTestContext}: each answer is
 * a future of its status, headers and whole body. {@link Http} does the same blocking, with the JDK's client.
 */
public final class VertxHttp {
  private static final long TIMEOUT_MS = 10_000;

  /** One answer, its body read whole as UTF-8. */
  public record Answer(int status, MultiMap headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient client;

  public VertxHttp(Vertx vertx) {
    this.client = vertx.createHttpClient();
  }

  /** A request for {@code path} on 127.0.0.1:{@code port}, to add headers to. */
  public static RequestOptions request(HttpMethod method, int port, String path) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .setIdleTimeout(TIMEOUT_MS).setConnectTimeout(TIMEOUT_MS);
  }

  public Future<Answer> get(int port, String path) {
    return send(request(HttpMethod.GET, port, path), null);
  }

  /** POSTs {@code body} (UTF-8) to {@code path}. */
  public Future<Answer> post(int port, String path, String body) {
    return post(port, path, Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  public Future<Answer> post(int port, String path, Buffer body) {
    return send(request(HttpMethod.POST, port, path), body);
  }

  /** Publishes {@code body} to {@code topic} ({@code POST /api/topics/…/messages}); the future holds the ack. */
  public Future<JsonObject> publish(int port, String topic, String body) {
    return post(port, "/api/topics/" + topic + "/messages", body).map(answer -> {
      if (answer.status() != 200) {
        throw new AssertionError("publish to " + topic + " answered " + answer.status() + ": " + answer.body());
      }
      return answer.json();
    });
  }

  /** Publishes each body in turn, each once the one before is acked; the future holds the acks in order. */
  public Future<List<JsonObject>> publishInOrder(int port, String topic, String... bodies) {
    Future<List<JsonObject>> acks = Future.succeededFuture(new ArrayList<>());
    for (String body : bodies) {
      acks = acks.compose(list -> publish(port, topic, body).map(ack -> {
        list.add(ack);
        return list;
      }));
    }
    return acks;
  }

  /** Sends {@code request} with {@code body} (with its Content-Length), or with none when {@code body} is null. */
  public Future<Answer> send(RequestOptions request, Buffer body) {
    return client.request(request)
        .compose(r -> body == null ? r.send() : r.send(body))
        .compose(VertxHttp::read);
  }

  /**
   * POSTs {@code body} without a Content-Length, in chunks of 8 KB. The answer is what the node says, even if it
   * closes the connection before it has read everything.
   */
  public Future<Answer> postChunked(int port, String path, Buffer body) {
    return client.request(request(HttpMethod.POST, port, path)).compose(r -> {
      r.setChunked(true);
      for (int start = 0; start < body.length(); start += 8192) {
        r.write(body.slice(start, Math.min(body.length(), start + 8192)));
      }
      r.end();
      return r.response();
    }).compose(VertxHttp::read);
  }

  private static Future<Answer> read(HttpClientResponse response) {
    return response.body()
        .map(b -> new Answer(response.statusCode(), response.headers(), b.toString(StandardCharsets.UTF_8)));
  }
}
