package dev.switchboard.broker.security;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.SseProbe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Message;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rules decided at the WebSocket handshake, over real sockets: origins, the node's connection limit, TLS. */
class HandshakeSecurityTest {

  @Test
  void aForeignOriginIsRefusedBeforeTheUpgrade() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security()
        .allowedOrigins(List.of("https://app.example.com", "http://127.0.0.1:3000/")))) {
      int port = cluster.node(0).port();
      Vertx vertx = cluster.clients();
      assertThat(upgrade(vertx, port, "https://evil.example.net")).isEqualTo(403);
      assertThat(upgrade(vertx, port, "https://app.example.com.evil.net")).isEqualTo(403);
      assertThat(upgrade(vertx, port, "http://app.example.com")).isEqualTo(403);
      assertThat(upgrade(vertx, port, "null")).isEqualTo(403);
      assertThat(upgrade(vertx, port, "https://APP.example.com")).isEqualTo(101);
      assertThat(upgrade(vertx, port, "http://127.0.0.1:3000")).isEqualTo(101);
      assertThat(upgrade(vertx, port, null)).as("no Origin: not a browser").isEqualTo(101);
      assertThat(cluster.node(0).stats().refusals("origin")).isEqualTo(4);
      String metrics = Http.get(port, "/metrics").body();
      assertThat(metrics).containsPattern("switchboard_refusals_total\\{reason=\"origin\"} 4\\.0")
          .containsPattern("switchboard_refusals_total\\{reason=\"forbidden\"} 0\\.0");
    }
  }

  @Test
  void anyOriginByDefault() {
    try (TestCluster cluster = TestCluster.of(1)) {
      assertThat(upgrade(cluster.clients(), cluster.node(0).port(), "https://anywhere.example")).isEqualTo(101);
    }
  }

  @Test
  void theNodeConnectionLimitRefusesWith503() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security().maxConnections(2))) {
      int port = cluster.node(0).port();
      Probe a = Probe.connect(cluster.clients(), port);
      Probe b = Probe.connect(cluster.clients(), port);
      assertThat(upgrade(cluster.clients(), port, null)).isEqualTo(503);
      assertThat(cluster.node(0).stats().refusals("node_connections")).isEqualTo(1);
      a.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == 1);
      Probe c = Probe.connect(cluster.clients(), port);
      c.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"t\"}").next("subscribed");
      b.close();
      c.close();
    }
  }

  @Test
  void simultaneousHandshakesOnSeveralEventLoopsDoNotPassTheLimit() throws Exception {
    int max = 5;
    int attempts = 40;
    try (TestCluster cluster = TestCluster.of(1, o -> o.instances(4).security().maxConnections(max))) {
      int port = cluster.node(0).port();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<RawWebSocket>> tries = new java.util.ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        tries.add(pool.submit(() -> {
          go.await();
          try {
            return RawWebSocket.open(port);
          } catch (IllegalStateException refused) {
            assertThat(refused.getMessage()).contains("503");
            return null;
          }
        }));
      }
      go.countDown();
      List<RawWebSocket> admitted = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<RawWebSocket> t : tries) {
        RawWebSocket ws = t.get(30, TimeUnit.SECONDS);
        if (ws != null) {
          admitted.add(ws);
        }
      }
      pool.shutdown();
      assertThat(admitted).hasSize(max);
      assertThat(cluster.node(0).stats().refusals("node_connections")).isEqualTo(attempts - max);
      admitted.forEach(RawWebSocket::close);
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == 0);
      assertThat(upgrade(cluster.clients(), port, null)).isEqualTo(101);
    }
  }

  @Test
  void serverSentEventStreamsCountTowardTheNodeConnectionLimit() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security().maxConnections(2))) {
      int port = cluster.node(0).port();
      Probe a = Probe.connect(cluster.clients(), port);
      try (SseProbe stream = SseProbe.open(cluster.clients(), port, "/sse?topic=t")) {
        assertThat(stream.status()).isEqualTo(200);
        stream.next("subscribed");
        assertThat(upgrade(cluster.clients(), port, null)).isEqualTo(503);
        try (SseProbe refused = SseProbe.open(cluster.clients(), port, "/sse?topic=t")) {
          assertThat(refused.status()).isEqualTo(503);
          assertThat(refused.errorBody().getString("code")).isEqualTo("unavailable");
        }
        assertThat(cluster.node(0).stats().refusals("node_connections")).isEqualTo(2);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().sseStreams() == 0);
      assertThat(upgrade(cluster.clients(), port, null)).isEqualTo(101);
      a.close();
    }
  }

  @Test
  void tlsEndToEndWithTheSdk() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try (TestCluster cluster = TestCluster.of(1, o -> o.host("localhost").security()
        .tlsCertFile(cert.certificatePath()).tlsKeyFile(cert.privateKeyPath()))) {
      String url = "wss://localhost:" + cluster.node(0).port() + "/ws";
      assertThat(upgrade(cluster.clients(), cluster.node(0).port(), null)).as("plain ws on a TLS port").isNotEqualTo(101);
      SSLContext trusting = trusting(Path.of(cert.certificatePath()));
      try (Clients clients = new Clients()) {
        Clients.Recorded client = clients.connect(b -> b.sslContext(trusting), url);
        List<Message> got = new CopyOnWriteArrayList<>();
        Clients.join(client.client.subscribe("secure.news", got::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          client.client.publish("secure.news", "over tls");
          return !got.isEmpty();
        });
        assertThat(got.get(0).data()).isEqualTo("over tls");
      }
      // Without trusting the certificate, the SDK cannot connect.
      SwitchboardClient untrusting = Switchboard.connect(ClientOptions.builder().servers(url)
          .maxReconnectAttempts(0).build());
      await().atMost(Duration.ofSeconds(20)).until(() -> untrusting.state() == dev.switchboard.client.ConnectionState.CLOSED);
      untrusting.close();
    } finally {
      cert.delete();
    }
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** The status of a WebSocket upgrade with this Origin (null: none): 101 when accepted (then closed). */
  static int upgrade(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    if (origin != null) {
      options.addHeader("Origin", origin);
    } else {
      options.setAllowOriginHeader(false); // Vert.x sends one of its own otherwise
    }
    try {
      client.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).close();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        return rejected.getStatus();
      }
      return -1;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }
}
