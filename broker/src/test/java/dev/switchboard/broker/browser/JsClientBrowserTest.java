package dev.switchboard.broker.browser;

import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.browser.PageScript.ScriptError;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Gate;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.protocol.CloseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client ({@code /client/switchboard.js}) in a real headless Chromium against real nodes: its
 * promises settle on the broker's answers, errors carry their codes, a history topic is recovered across a node
 * stop with no gap and no duplicate, a position that cannot be recovered is reported as a gap, heartbeats are
 * answered, and a terminal close code stops it for good. The Java SDK publishes from another node.
 */
class JsClientBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_SUBSCRIPTIONS = 4;

  static TestCluster cluster;
  static Clients sdk;
  static SwitchboardClient java;
  static Browser browser;
  static PageScript page;

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    // Short heartbeats: a client that did not answer pings would be closed (4000) within 1.5 s.
    cluster = TestCluster.of(2, o -> o.history(List.of(HistoryRule.parse("js.h.>/1000/5m")))
        .maxSubscriptions(MAX_SUBSCRIPTIONS).heartbeatIntervalMs(500).heartbeatTimeoutMs(1000));
    sdk = new Clients();
    java = sdk.connect(cluster.url(1)).client;
    browser = Browser.open();
    page = new PageScript(browser.driver());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (sdk != null) {
      sdk.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void freshPage() {
    page.loadClient(cluster.node(0).port());
  }

  private static String servers(String... urls) {
    return List.of(urls).stream().map(u -> "'" + u + "'").collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void subscribePublishAndUnsubscribeSettleOnTheBrokersAnswers() {
    long started = System.currentTimeMillis();
    Map<?, ?> result = (Map<?, ?>) page.run("""
        const r = record('a', { servers: %s });
        const exact = await r.client.subscribe('js.news', r.handler);
        await r.client.subscribe('js.*', r.handler);
        const acked = await r.client.publish('js.news', { headline: 'hi', n: 42 });
        await waitFor(() => r.messages.length === 2);
        return { state: r.client.state, node: r.client.node, acked, exact: exact.topic,
          messages: r.messages.map(m => ({ topic: m.topic, pattern: m.pattern, position: m.position, data: m.data,
            publishedAt: m.publishedAt, frozen: Object.isFrozen(m) })) };
        """.formatted(servers(cluster.url(0))));
    long ended = System.currentTimeMillis();
    assertThat(result.get("state")).isEqualTo("connected");
    assertThat(result.get("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(result.get("acked")).isNull();
    assertThat(result.get("exact")).isEqualTo("js.news");
    List<?> messages = (List<?>) result.get("messages");
    assertThat(messages.stream().map(m -> String.valueOf(((Map<?, ?>) m).get("pattern"))))
        .containsExactlyInAnyOrder("null", "js.*");
    for (Object m : messages) {
      assertThat(((Map<?, ?>) m).get("topic")).isEqualTo("js.news");
      assertThat(((Map<?, ?>) m).get("position")).isNull();
      assertThat(((Map<?, ?>) m).get("data")).isEqualTo(Map.of("headline", "hi", "n", 42L));
      assertThat(((Map<?, ?>) m).get("frozen")).isEqualTo(true);
    }
    // The node's stamp of the publish: one for both deliveries, within the script's run.
    assertThat(messages.stream().map(m -> ((Map<?, ?>) m).get("publishedAt")).distinct().toList()).singleElement()
        .isInstanceOf(Long.class).satisfies(at -> assertThat((Long) at).isBetween(started, ended));

    // The Java SDK publishes on the other node; the first cross-node delivery may take a moment after a join.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      java.publish("js.news", Map.of("from", "java"));
      return page.number("return rec.a.messages.filter(m => m.data.from === 'java' && !m.pattern).length") > 0;
    });

    page.run("window.solo = await rec.a.client.subscribe('js.solo', rec.a.handler);");
    await().atMost(WAIT).until(() -> cluster.node(0).stats().topicNames(100).contains("js.solo"));
    Map<?, ?> after = (Map<?, ?>) page.run("""
        const r = rec.a;
        await solo.unsubscribe();
        await solo.ended;
        const before = r.messages.length;
        await r.client.publish('js.solo', 'unheard');
        await waitFor(() => r.messages.length === before + 1); // the pattern's delivery only
        return { last: r.messages[r.messages.length - 1].pattern, disconnects: r.count('disconnected') };
        """);
    assertThat(after.get("last")).isEqualTo("js.*");
    await().atMost(WAIT).until(() -> !cluster.node(0).stats().topicNames(100).contains("js.solo"));
    assertThat(after.get("disconnects")).isEqualTo(0L);
  }

  @Test
  void errorsRejectWithTheirCodesAndTheConnectionGoesOn() {
    page.run("const r = record('e', { servers: %s }); await waitFor(() => r.client.state === 'connected');"
        .formatted(servers(cluster.url(0))));

    assertThat(code("await rec.e.client.publish('js.*', 1)")).isEqualTo("invalid_topic");
    assertThat(code("await rec.e.client.subscribe('js..x', () => {})")).isEqualTo("invalid_topic");
    assertThat(code("await rec.e.client.publish('js.big', 'x'.repeat(70000))")).isEqualTo("frame_too_large");
    assertThatThrownBy(() -> page.run("await rec.e.client.publish('js.x', undefined)"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("TypeError");
    assertThatThrownBy(() -> page.run("await rec.e.client.subscribe('js.*', () => {}, { latest: true })"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("TypeError");

    page.run("""
        for (let i = 0; i < %d; i++) await rec.e.client.subscribe('js.many.' + i, () => {});
        """.formatted(MAX_SUBSCRIPTIONS));
    assertThat(code("await rec.e.client.subscribe('js.many.more', () => {})")).isEqualTo("too_many_subscriptions");

    Map<?, ?> still = (Map<?, ?>) page.run("""
        await rec.e.client.publish('js.ok', 1);
        return { state: rec.e.client.state, disconnects: rec.e.count('disconnected') };
        """);
    assertThat(still.get("state")).isEqualTo("connected");
    assertThat(still.get("disconnects")).isEqualTo(0L);
  }

  /** Runs {@code body}, which must reject with a {@code SwitchboardError}; returns its code. */
  private static String code(String body) {
    try {
      page.run(body);
    } catch (ScriptError e) {
      assertThat(e.name).isEqualTo("SwitchboardError");
      return e.code;
    }
    throw new AssertionError("expected a rejection: " + body);
  }

  @Test
  void latestAndSinceStartWhereAskedAndAnUnrecoverablePositionIsAGap() {
    long before = System.currentTimeMillis();
    for (int n = 0; n < 3; n++) {
      join(java.publish("js.h.price", Map.of("n", n)));
    }
    long after = System.currentTimeMillis();
    Map<?, ?> result = (Map<?, ?>) page.run("""
        const latest = record('latest', { servers: %1$s });
        await latest.client.subscribe('js.h.price', latest.handler, { latest: true });
        await waitFor(() => latest.messages.length === 1);
        const epoch = latest.messages[0].position.epoch;
        const since = record('since', { servers: %1$s });
        await since.client.subscribe('js.h.price', since.handler, { since: { epoch, offset: 0 } });
        await waitFor(() => since.messages.length === 2);
        const gaps = [];
        const stale = record('stale', { servers: %1$s });
        await stale.client.subscribe('js.h.other', stale.handler,
          { since: { epoch: 'not-this-epoch', offset: 3 }, onGap: g => gaps.push(g) });
        await waitFor(() => stale.count('gap') === 1);
        return {
          latest: latest.messages.map(m => m.position.offset),
          since: since.messages.map(m => m.position.offset),
          stamps: [latest.messages[0].publishedAt, since.messages[1].publishedAt, since.messages[0].publishedAt],
          sinceGaps: since.count('gap'),
          gap: stale.events.find(e => e.type === 'gap'),
          onGap: gaps.length,
        };
        """.formatted(servers(cluster.url(0))));
    assertThat(result.get("latest")).isEqualTo(List.of(2L));
    assertThat(result.get("since")).isEqualTo(List.of(1L, 2L));
    assertThat(result.get("sinceGaps")).isEqualTo(0L);
    // Read from the store by two subscriptions, offset 2 carries the one stamp its publish got; offset 1 an earlier one.
    List<?> stamps = (List<?>) result.get("stamps");
    assertThat(stamps.get(0)).isEqualTo(stamps.get(1));
    assertThat(stamps).allSatisfy(at -> assertThat((Long) at).isBetween(before, after));
    assertThat((Long) stamps.get(2)).isLessThanOrEqualTo((Long) stamps.get(1));
    Map<?, ?> gap = (Map<?, ?>) result.get("gap");
    assertThat(gap.get("topic")).isEqualTo("js.h.other");
    assertThat(((Map<?, ?>) gap.get("lastSeen")).get("offset")).isEqualTo(3L);
    assertThat(((Map<?, ?>) gap.get("resumesAfter")).get("offset")).isEqualTo(-1L);
    assertThat(result.get("onGap")).isEqualTo(1L);
  }

  @Test
  void heartbeatsAreAnsweredSoTheNodeKeepsTheConnection() {
    page.run("const r = record('hb', { servers: %s }); await waitFor(() => r.client.state === 'connected');"
        .formatted(servers(cluster.url(0))));
    // The node pings every 500 ms and closes (4000) a client that has not answered within 1 s of a ping.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> page.number("return rec.hb.count('disconnected')") == 0);
    assertThat(page.text("return rec.hb.client.state")).isEqualTo("connected");
  }

  @Test
  void aTerminalCloseCodeStopsTheClientForGood() {
    page.run("""
        const r = record('t', { servers: %s, reconnectDelayMin: 20, reconnectDelayMax: 50 });
        await waitFor(() => r.client.state === 'connected');
        """.formatted(servers(cluster.url(0), cluster.url(1))));
    // A subscribe larger than the node's max_frame_bytes: the node closes with 1009 message_too_big (terminal).
    assertThat(code("""
        await rec.t.client.subscribe('js.h.x', () => {}, { since: { epoch: 'e'.repeat(70000), offset: 0 } });
        """)).isEqualTo("terminal_close");
    Map<?, ?> closed = (Map<?, ?>) page.run("return rec.t.events.find(e => e.type === 'closed')");
    assertThat(closed.get("code")).isEqualTo(1009L);
    assertThat(((Map<?, ?>) closed.get("error")).get("code")).isEqualTo("terminal_close");

    // With delays of at most 50 ms, a client that reconnected would have tried several times within a second. (Counted
    // from the close: on a loaded machine the first connection may itself have taken more than one attempt.)
    long attempts = page.number("return rec.t.count('connecting')");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> page.number("return rec.t.count('connecting')") == attempts);
    assertThat(page.text("return rec.t.client.state")).isEqualTo("closed");
    assertThat(code("await rec.t.client.publish('js.after', 1)")).isEqualTo("closed");
  }

  @Test
  void requestsWaitingForAConnectionAreBoundedInBytesAndTimeAndEndWithClose() {
    try (Gate gate = new Gate()) {
      Map<?, ?> result = (Map<?, ?>) page.run("""
          const outcome = p => p.then(() => 'ok', e => e.code);
          const r = record('g', { servers: ['%1$s'], connectTimeout: 60000, requestTimeout: 500,
            publishBufferBytes: 1000 });
          const sub = outcome(r.client.subscribe('js.wait', () => {}));
          const pub = outcome(r.client.publish('js.wait', 'x'.repeat(600)));
          const full = await outcome(r.client.publish('js.wait', 'y'.repeat(600)));
          const results = { full, sub: await sub, pub: await pub, state: r.client.state };
          // The same bound while an attempt waits for its token (it has no socket yet).
          let asked;
          const tokenAsked = new Promise(resolve => { asked = resolve; });
          const t = record('t', { servers: ['%1$s'], connectTimeout: 60000, publishBufferBytes: 1000,
            token: () => { asked(); return new Promise(() => {}); } });
          await tokenAsked;
          const waitingForToken = outcome(t.client.publish('js.wait', 'x'.repeat(600)));
          results.tokenFull = await outcome(t.client.publish('js.wait', 'y'.repeat(600)));
          t.client.close();
          results.tokenPub = await waitingForToken;
          const c = record('c', { servers: ['%1$s'], connectTimeout: 60000 });
          const pending = [outcome(c.client.publish('js.wait', 1)), outcome(c.client.subscribe('js.wait', () => {}))];
          c.client.close();
          results.closed = await Promise.all(pending);
          results.closedState = c.client.state;
          results.closedEvents = c.count('closed');
          return results;
          """.formatted(gate.url()));
      assertThat(result.get("full")).isEqualTo("buffer_full");
      assertThat(result.get("tokenFull")).isEqualTo("buffer_full");
      assertThat(result.get("tokenPub")).isEqualTo("closed");
      assertThat(result.get("sub")).isEqualTo("timeout");
      assertThat(result.get("pub")).isEqualTo("timeout");
      assertThat(result.get("state")).isEqualTo("connecting");
      assertThat(result.get("closed")).isEqualTo(List.of("closed", "closed"));
      assertThat(result.get("closedState")).isEqualTo("closed");
      assertThat(result.get("closedEvents")).isEqualTo(1L);
    }
  }

  @Test
  void closeCodeClassesAreTheProtocols() {
    List<Integer> codes = new ArrayList<>(List.of(1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011,
        3000, 4000, 4499, 4500, 4999));
    for (CloseCode c : CloseCode.values()) {
      codes.add(c.code());
    }
    for (int c : codes) {
      boolean js = (Boolean) page.run("return sb.isTerminalClose(" + c + ")");
      assertThat(js).as("close code %d", c).isEqualTo(CloseCode.isTerminal(c));
    }
  }

  /**
   * The subscriber's servers are its node, then a {@link Gate} (its attempt hangs there), then another node: while
   * it hangs, messages are published and acknowledged; once the gate closes it reaches the other node and recovers
   * them with {@code since}.
   */
  @Test
  void aHistoryTopicIsRecoveredAcrossANodeStopWithNoGapAndNoDuplicate() {
    try (TestCluster own = TestCluster.of(2, o -> o.history(List.of(HistoryRule.parse("jr.>/1000/5m"))));
         Clients clients = new Clients(); Gate gate = new Gate()) {
      page.loadClient(own.node(0).port());
      page.run("""
          const r = record('r', { servers: %s, connectTimeout: 60000, reconnectDelayMax: 200 });
          window.sub = await r.client.subscribe('jr.room', r.handler);
          """.formatted(servers(own.url(0), gate.url(), own.url(1))));
      SwitchboardClient publisher = clients.connect(own.url(1)).client;
      publish(publisher, "jr.room", 0, 10);
      await().atMost(WAIT).until(() -> page.number("return rec.r.messages.length") == 10);

      own.stop(0);
      await().atMost(WAIT).until(() -> "connecting".equals(page.text("return rec.r.client.state"))
          && gate.url().equals(page.text("return rec.r.client.url")));
      await().atMost(WAIT).until(() -> own.node(1).clusterManager().getNodes().size() == 1);
      publish(publisher, "jr.room", 10, 30); // stored while the subscriber is away
      assertThat(page.text("return rec.r.client.state")).isEqualTo("connecting");
      gate.close();
      await().atMost(WAIT).until(() -> "connected".equals(page.text("return rec.r.client.state")));
      assertThat(page.text("return rec.r.client.node")).isEqualTo(own.node(1).nodeId());

      publish(publisher, "jr.room", 30, 40);
      await().atMost(WAIT).until(() -> page.number("return rec.r.messages.length") >= 40);
      await().during(Duration.ofMillis(300)).atMost(WAIT)
          .until(() -> page.number("return rec.r.messages.length") == 40);
      assertThat(page.run("return rec.r.messages.map(m => m.position.offset)"))
          .isEqualTo(LongStream.range(0, 40).boxed().collect(Collectors.toList()));
      assertThat(page.run("return rec.r.messages.map(m => m.data.n).sort((a, b) => a - b)"))
          .isEqualTo(LongStream.range(0, 40).boxed().collect(Collectors.toList()));
      assertThat(page.number("return rec.r.count('gap')")).isZero();
      assertThat(page.number("return sub.position.offset")).isEqualTo(39);
      Map<?, ?> connected = (Map<?, ?>) page.run("return rec.r.events.filter(e => e.type === 'connected').pop()");
      assertThat(connected.get("reconnected")).isEqualTo(true);
      assertThat(connected.get("reconnects")).isEqualTo(1L);
    }
  }

  /** Publishes {@code n} for each number in {@code [from, to)} on one connection; waits for every ack. */
  private static void publish(SwitchboardClient publisher, String topic, int from, int to) {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int n = from; n < to; n++) {
      acks.add(publisher.publish(topic, Map.of("n", n)).toCompletableFuture());
    }
    join(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
  }
}
