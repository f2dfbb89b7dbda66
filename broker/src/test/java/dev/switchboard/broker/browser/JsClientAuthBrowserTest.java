package dev.switchboard.broker.browser;

import dev.switchboard.broker.browser.PageScript.ScriptError;
import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client's {@code token} option against a node that requires authentication, in a real Chromium:
 * the token goes in {@code hello} first on the connection, the supplier is asked again on the node's
 * {@code refresh} so the session outlives its first token, grants are enforced ({@code forbidden}), and a token the
 * node does not accept (4500, terminal) stops the client.
 */
class JsClientAuthBrowserTest {
  private static final String SECRET = "browser-secret-0123456789-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);

  static Path secretFile;
  static TestCluster cluster;
  static Tokens tokens;
  static Browser browser;
  static PageScript page;

  @BeforeAll
  static void start() throws IOException {
    Browser.assumeAvailable();
    secretFile = Files.createTempFile("switchboard-secret-", ".txt");
    Files.writeString(secretFile, SECRET);
    cluster = TestCluster.of(1, o -> o.security().auth(SecurityOptions.AUTH_REQUIRED)
        .authSecretFile(secretFile.toString()).authRefreshMs(1000));
    tokens = Tokens.hs256(cluster.clients(), SECRET);
    browser = Browser.open();
    page = new PageScript(browser.driver());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    try {
      if (secretFile != null) {
        Files.deleteIfExists(secretFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void freshPage() {
    page.loadClient(cluster.node(0).port());
  }

  @Test
  void theSupplierAuthenticatesTheConnectionAndIsAskedAgainOnRefresh() {
    // The first token expires within 2 s (whole seconds); the node asks for a new one 1 s before.
    String first = tokens.token("alice", List.of("room.>"), List.of("room.>"), 2);
    String next = tokens.token("alice", List.of("room.>"), List.of("room.>"), 600);
    Map<?, ?> result = (Map<?, ?>) page.run("""
        window.tokens = ['%s', '%s'];
        window.asked = 0;
        const r = record('auth', { servers: ['ws://127.0.0.1:%d/ws'],
          token: () => { asked++; return Promise.resolve(tokens.length > 1 ? tokens.shift() : tokens[0]); } });
        await r.client.subscribe('room.1', r.handler);
        await r.client.publish('room.1', 'hi');
        await waitFor(() => r.messages.length === 1);
        const code = p => p.then(() => 'ok', e => e.code);
        return { node: r.client.node, subscribeOther: await code(r.client.subscribe('other.x', () => {})),
          publishOther: await code(r.client.publish('other.x', 1)) };
        """.formatted(first, next, cluster.node(0).port()));
    assertThat(result.get("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(result.get("subscribeOther")).isEqualTo("forbidden");
    assertThat(result.get("publishOther")).isEqualTo("forbidden");

    await().atMost(WAIT).until(() -> page.number("return asked") >= 2);
    // Past the first token's expiry the connection is the same one and still serves.
    await().during(Duration.ofMillis(2500)).atMost(WAIT)
        .until(() -> page.number("return rec.auth.count('disconnected')") == 0);
    assertThat(page.run("""
        await rec.auth.client.publish('room.1', 'still here');
        await waitFor(() => rec.auth.messages.length === 2);
        return rec.auth.messages.map(m => m.data);
        """)).isEqualTo(List.of("hi", "still here"));
    assertThat(cluster.node(0).stats().refusals("token_expired")).isZero();
  }

  @Test
  void aTokenTheNodeDoesNotAcceptStopsTheClient() {
    Tokens forger = Tokens.hs256(cluster.clients(), "not-the-secret-0123456789-0123456789");
    String forged = forger.token("mallory", List.of("room.>"), List.of("room.>"), 600);
    try {
      page.run("""
          window.asked = 0;
          const r = record('forged', { servers: ['ws://127.0.0.1:%d/ws'], reconnectDelayMin: 20,
            reconnectDelayMax: 50, token: () => { asked++; return '%s'; } });
          await r.client.subscribe('room.1', r.handler);
          """.formatted(cluster.node(0).port(), forged));
      throw new AssertionError("the subscribe should have failed");
    } catch (ScriptError e) {
      assertThat(e.code).isEqualTo("terminal_close");
    }
    Map<?, ?> closed = (Map<?, ?>) page.run("return rec.forged.events.find(e => e.type === 'closed')");
    assertThat(closed.get("code")).isEqualTo(4500L);
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> page.number("return asked") == 1);
    assertThat(page.text("return rec.forged.client.state")).isEqualTo("closed");
  }
}
