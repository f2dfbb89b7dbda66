package dev.switchboard.broker;

import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.VertxHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the server-sent-events tests share ({@link SseTest}, {@link SseHistoryTest}): two clustered nodes with small
 * limits and history on {@code hist.>} and {@code small.>}, streams and clients closed after each test, a Vert.x
 * HTTP client for publishing.
 */
@ExtendWith(VertxExtension.class)
abstract class SseClusterTest {
  static final int MAX_PENDING = 256 * 1024;
  static final Consumer<BrokerOptions> TUNE = o -> o.history(HistoryRule.parseList("hist.>/1000/5m,small.>/5/5m"))
      .heartbeatIntervalMs(1000).maxSubscriptions(3).maxPendingBytes(MAX_PENDING);
  static final AtomicInteger names = new AtomicInteger();
  static TestCluster cluster;
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  VertxHttp http;

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.of(2, TUNE);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void client(Vertx vertx) {
    http = new VertxHttp(vertx);
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  SseProbe sse(int node, String uri, Map<String, String> headers) {
    SseProbe probe = SseProbe.open(cluster.clients(), cluster.node(node).port(), uri, headers);
    open.add(probe);
    return probe;
  }

  SseProbe sse(int node, String uri) {
    return sse(node, uri, Map.of());
  }

  /** {@link #sse}, as a future. */
  Future<SseProbe> sseAsync(int node, String uri, Map<String, String> headers) {
    return SseProbe.openAsync(cluster.clients(), cluster.node(node).port(), uri, headers).onSuccess(open::add);
  }

  /** An HTTP publish that must be acked; the future holds the ack. */
  Future<JsonObject> post(int node, String topic, String body) {
    return http.publish(cluster.node(node).port(), topic, body);
  }

  static String name(String root) {
    return root + ".t" + names.incrementAndGet();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
