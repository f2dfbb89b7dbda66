package dev.switchboard.broker.browser;

import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client's {@code onJoin} and {@code onLeave} in a real headless Chromium, on two real nodes whose
 * topics {@code room.>} are both history and presence topics (300 ms grace): events carry their {@code position},
 * come in one order with the messages, a handler without callbacks sees only messages, a join and a leave missed
 * while the connection was cut are recovered once, in order, and {@code latest} still gives the last message when
 * events were stored after it.
 */
class JsHistoryPresenceEventsBrowserTest extends RigTest {
  @Override
  BrowserRig startRig() {
    return BrowserRig.start(2, o -> o.history(List.of(HistoryRule.parse("room.>/1000/5m"))).presence(List.of("room.>"))
        .presenceGraceMs(300));
  }

  /**
   * Installs {@code timeline(r)}: a handler and callbacks that record, in {@code r.timeline}, "msg m1", "join Ada" or
   * "leave Ada" (by the info's name, "?" without one) with the position's epoch and offset (null without one).
   */
  private static final String TIMELINE = """
      window.timeline = r => {
        r.timeline = [];
        const add = (entry, p) => r.timeline.push({ entry, epoch: p?.epoch ?? null, offset: p?.offset ?? null });
        const name = e => e.info?.name ?? '?';
        return {
          handler: m => add('msg ' + m.data, m.position),
          callbacks: {
            onJoin: e => add('join ' + name(e), e.position),
            onLeave: e => add('leave ' + name(e), e.position),
          },
        };
      };
      """;

  private SwitchboardClient joinAs(String topic, String name) {
    SwitchboardClient c = sdk.connect(cluster.url(1)).client;
    join(c.subscribe(topic, SubscribeOptions.builder().info(Map.of("name", name)).build(), m -> { }));
    return c;
  }

  /** An SDK client on node 1 listening to {@code topic}'s events: the test learns from it that one happened. */
  private List<String> observe(String topic) {
    List<String> heard = new CopyOnWriteArrayList<>();
    PresenceListener listener = PresenceListener.of(e -> heard.add("join " + name(e)),
        e -> heard.add("leave " + name(e)));
    join(sdk.connect(cluster.url(1)).client.subscribe(topic, SubscribeOptions.builder().presenceListener(listener)
        .build(), m -> { }));
    return heard;
  }

  private String name(PresenceEvent e) {
    return e.info() instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
  }

  private void awaitObserved(List<String> observed, String entry) {
    await().atMost(Duration.ofSeconds(30)).until(() -> observed.contains(entry));
  }

  private void awaitEntry(String client, String entry) {
    page.run("await waitFor(() => rec.%s.timeline.some(t => t.entry === '%s'));".formatted(client, entry));
  }

  /** The entries of {@code client}'s timeline, without the anonymous clients' own joins. */
  @SuppressWarnings("unchecked")
  private List<String> named(String client) {
    return (List<String>) page.run("return rec.%s.timeline.map(t => t.entry).filter(e => !e.endsWith(' ?'));"
        .formatted(client));
  }

  /** Every entry of {@code client}'s timeline has a position, in one epoch, each offset after the one before. */
  private void assertIncreasing(String client) {
    assertThat(page.text("""
        const t = rec.%s.timeline;
        for (let i = 0; i < t.length; i++) {
          if (t[i].offset === null || t[i].epoch !== t[0].epoch) return 'no position: ' + t[i].entry;
          if (i > 0 && t[i].offset <= t[i - 1].offset) return t[i].entry + ' not after ' + t[i - 1].entry;
        }
        return 'ok';
        """.formatted(client))).isEqualTo("ok");
  }

  @Test
  void eventsCarryTheirPositionInOneOrderWithTheMessagesAndAHandlerWithoutCallbacksSeesOnlyMessages() {
    String topic = "room.jso";
    page.run(TIMELINE + """
        const a = record('a', { servers: ['%1$s'] });
        const ta = timeline(a);
        await a.client.subscribe('%2$s', ta.handler, ta.callbacks);
        rec.b = { timeline: [] }; // a second handler of a's client, without callbacks
        await a.client.subscribe('%2$s', timeline(rec.b).handler);
        const q = record('q', { servers: ['%1$s'] });
        await q.client.subscribe('%2$s', timeline(q).handler); // another client: its subscribe asks for no events
        """.formatted(cluster.url(0), topic));
    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    join(publisher.publish(topic, "m1"));
    SwitchboardClient ada = joinAs(topic, "Ada");
    awaitEntry("a", "join Ada");
    join(publisher.publish(topic, "m2"));
    ada.close();
    awaitEntry("a", "leave Ada");
    join(publisher.publish(topic, "m3"));
    for (String client : List.of("a", "b", "q")) {
      awaitEntry(client, "msg m3");
    }

    assertThat(named("a")).containsExactly("msg m1", "join Ada", "msg m2", "leave Ada", "msg m3");
    assertIncreasing("a");
    for (String client : List.of("b", "q")) {
      assertThat(named(client)).containsExactly("msg m1", "msg m2", "msg m3");
      assertIncreasing(client);
    }
    assertThat(page.number("""
        const at = (c, e) => rec[c].timeline.find(t => t.entry === e).offset;
        return at('q', 'msg m2') - at('q', 'msg m1');
        """)).as("the messages' offsets skip the join's").isGreaterThan(1);
  }

  @Test
  void aJoinAndALeaveMissedWhileCutOffAreRecoveredOnceInOrder() {
    String topic = "room.jsaway";
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      page.run(TIMELINE + """
          const u = record('u', { servers: ['%s'], reconnectDelayMax: 200 });
          const t = timeline(u);
          await u.client.subscribe('%s', t.handler, t.callbacks);
          """.formatted(proxy.url(), topic));
      List<String> observed = observe(topic);
      SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
      join(publisher.publish(topic, "m1"));
      SwitchboardClient bob = joinAs(topic, "Bob");
      awaitEntry("u", "join Bob"); // live, before the cut: the resubscribe's since is after it

      proxy.cut();
      page.run("await waitFor(() => rec.u.count('disconnected') > 0);");
      join(publisher.publish(topic, "m2"));
      SwitchboardClient cy = joinAs(topic, "Cy");
      awaitObserved(observed, "join Cy");
      bob.close();
      awaitObserved(observed, "leave Bob");
      join(publisher.publish(topic, "m3"));
      proxy.restore();
      page.run("await waitFor(() => rec.u.client.state === 'connected' && rec.u.client.reconnects === 1);");
      awaitEntry("u", "msg m3");
      cy.close();
      awaitEntry("u", "leave Cy");
      join(publisher.publish(topic, "m4"));
      awaitEntry("u", "msg m4");

      assertThat(named("u")).containsExactly("msg m1", "join Bob", "msg m2", "join Cy", "leave Bob", "msg m3",
          "leave Cy", "msg m4");
      assertIncreasing("u");
      assertThat(page.number("return rec.u.count('gap');")).isZero();
    }
  }

  @Test
  void latestGivesTheLastMessageWhenEventsWereStoredAfterIt() {
    String topic = "room.jslatest";
    List<String> observed = observe(topic);
    SwitchboardClient publisher = sdk.connect(cluster.url(1)).client;
    join(publisher.publish(topic, "m1"));
    joinAs(topic, "Dee");
    awaitObserved(observed, "join Dee"); // stored after m1

    page.run(TIMELINE + """
        const l = record('l', { servers: ['%s'] });
        const t = timeline(l);
        await l.client.subscribe('%s', t.handler, { latest: true, ...t.callbacks });
        """.formatted(cluster.url(0), topic));
    awaitEntry("l", "msg m1");
    join(publisher.publish(topic, "m2"));
    awaitEntry("l", "msg m2");
    // The last message first (not the later join), then what was stored after it, then live ones.
    assertThat(named("l")).containsExactly("msg m1", "join Dee", "msg m2");
  }
}
