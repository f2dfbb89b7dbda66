package dev.switchboard.broker.browser;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.broker.testing.ServerApiCalls.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client told by the server API's unsubscribe, in a real headless Chromium, on two real nodes that
 * require tokens, through a proxy that can cut the connection: every handler of the user on the topic ends
 * ({@code ended} rejects with {@code unsubscribed}, the client's {@code unsubscribed} event names the topic and
 * reason {@code server}), its messages stop, and a reconnect does not subscribe to it again, while another topic's
 * subscription goes on.
 */
class JsServerUnsubscribeBrowserTest {
  static final String SECRET = "js-server-unsubscribe-secret-0123456789";
  static Path secret;
  static TestCluster cluster;
  static Tokens tokens;
  static Browser browser;
  static PageScript page;

  @BeforeAll
  static void start() throws IOException {
    Browser.assumeAvailable();
    secret = Files.createTempFile("switchboard-secret", ".txt");
    Files.writeString(secret, SECRET);
    cluster = TestCluster.of(2, ServerApiCalls.on().andThen(o -> o.security().auth(SecurityOptions.AUTH_REQUIRED)
        .authSecretFile(secret.toString())));
    tokens = Tokens.hs256(cluster.clients(), SECRET);
    browser = Browser.open();
    page = new PageScript(browser.driver());
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (secret != null) {
      Files.deleteIfExists(secret);
    }
  }

  private static void publish(ServerApiCalls api, String topic, String data) {
    ok(api.post("/publish", "{\"topic\":\"" + topic + "\",\"data\":\"" + data + "\"}"));
  }

  /** The data of the messages client {@code r} received on {@code topic}. */
  private static List<?> received(String topic) {
    return (List<?>) page.run("return rec.r.messages.filter(m => m.topic === '%s').map(m => m.data);"
        .formatted(topic));
  }

  @Test
  void theHandlersOnTheTopicEndAndAReconnectDoesNotSubscribeAgain() {
    page.loadClient(cluster.node(0).port());
    ServerApiCalls api = ServerApiCalls.to(cluster.node(1).port());
    String token = tokens.token("vera", List.of("room.>"), List.of("room.>"), 600);
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      page.run("""
          const r = record('r', { servers: ['%s'], token: '%s', reconnectDelayMax: 200 });
          r.ended = [];
          r.told = [];
          r.client.addEventListener('unsubscribed', e => r.told.push(e.detail));
          r.subs = [];
          for (const topic of ['room.dropped', 'room.dropped', 'room.kept']) {
            const s = await r.client.subscribe(topic, r.handler);
            s.ended.then(() => r.ended.push(topic + ' resolved'), e => r.ended.push(topic + ' ' + e.code));
            r.subs.push(s);
          }
          """.formatted(proxy.url(), token));
      // The registration reaches node 1 soon after subscribed: publish until a message arrives.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        publish(api, "room.dropped", "before");
        return received("room.dropped").size() >= 2; // both handlers
      });

      assertThat(ok(api.post("/unsubscribe", "{\"user\":\"vera\",\"topic\":\"room.dropped\"}"))
          .getInteger("unsubscribed")).isEqualTo(1);

      page.run("await waitFor(() => rec.r.ended.length === 2 && rec.r.told.length === 1);");
      assertThat(page.run("return rec.r.ended;"))
          .isEqualTo(List.of("room.dropped unsubscribed", "room.dropped unsubscribed"));
      assertThat(page.text("return JSON.stringify(rec.r.told);"))
          .isEqualTo("[{\"topic\":\"room.dropped\",\"reason\":\"server\"}]");
      // Unsubscribing a handler that ended already does nothing, and resolves.
      page.run("await rec.r.subs[0].unsubscribe(); rec.r.messages.length = 0;");
      publish(api, "room.dropped", "after");
      publish(api, "room.kept", "after");
      page.run("await waitFor(() => rec.r.messages.some(m => m.topic === 'room.kept'));");
      assertThat(received("room.dropped")).isEmpty();

      proxy.cut();
      page.run("await waitFor(() => rec.r.count('disconnected') > 0);");
      proxy.restore();
      page.run("await waitFor(() => rec.r.client.state === 'connected' && rec.r.client.reconnects === 1);");
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        publish(api, "room.dropped", "reconnected");
        publish(api, "room.kept", "reconnected");
        return received("room.kept").contains("reconnected");
      });
      assertThat(received("room.dropped")).isEmpty();
      assertThat(page.run("return rec.r.ended.length;")).isEqualTo(2L);
    }
  }
}
