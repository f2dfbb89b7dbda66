package dev.switchboard.broker.browser;

import dev.switchboard.broker.browser.PageScript.ScriptError;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JavaScript client's {@code onJoin} and {@code onLeave} in a real headless Chromium, on two real nodes with
 * {@code --presence room.>} and a 300 ms grace: a Java client's join and leave on the other node reach the page's
 * callbacks and not a handler without them on the same topic, a handler with them that joins a confirmed subscription
 * turns the events on, they come again after a reconnect, and a pattern is refused.
 */
class JsPresenceEventsBrowserTest extends RigTest {
  @Override
  BrowserRig startRig() {
    return BrowserRig.start(2, o -> o.presence(List.of("room.>")).presenceGraceMs(300));
  }

  /** Installs {@code seen(r)}: callbacks that record each event of client {@code r} as "join Name@node". */
  private static final String SEEN = """
      window.seen = r => {
        r.presence = [];
        const note = kind => e => r.presence.push(kind + ' ' + (e.info?.name ?? '?') + '@' + e.node + ' ' + e.topic
          + (Object.isFrozen(e) && 'user' in e && typeof e.client === 'string' ? '' : ' (malformed)'));
        return { onJoin: note('join'), onLeave: note('leave') };
      };
      """;

  private SwitchboardClient joinAs(String topic, String name) {
    SwitchboardClient c = sdk.connect(cluster.url(1)).client;
    join(c.subscribe(topic, SubscribeOptions.builder().info(Map.of("name", name)).build(), m -> { }));
    return c;
  }

  private void awaitSeen(String client, String event) {
    page.run("await waitFor(() => rec.%s.presence.includes('%s'));".formatted(client, event));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aJoinAndALeaveOnTheOtherNodeReachTheCallbacksOnly() {
    page.run(SEEN + """
        const r = record('a', { servers: ['%s'] });
        await r.client.subscribe('room.jse', r.handler, { info: { name: 'Page' }, ...seen(r) });
        const q = record('q', { servers: ['%s'] });
        q.quiet = [];
        await q.client.subscribe('room.jse', m => q.quiet.push(m));
        await r.client.subscribe('room.jse', m => q.quiet.push(m)); // a second handler of r, without callbacks
        """.formatted(cluster.url(0), cluster.url(0)));
    String other = cluster.node(1).nodeId();
    SwitchboardClient bob = joinAs("room.jse", "Bob");
    awaitSeen("a", "join Bob@" + other + " room.jse");
    bob.close();
    awaitSeen("a", "leave Bob@" + other + " room.jse");
    List<Object> bobs = (List<Object>) page.run("return rec.a.presence.filter(e => e.includes('Bob'))");
    assertThat(bobs).containsExactly("join Bob@" + other + " room.jse", "leave Bob@" + other + " room.jse");
    assertThat(page.number("return rec.q.quiet.length + rec.a.messages.length")).isZero();
  }

  @Test
  void aHandlerWithCallbacksJoiningAConfirmedSubscriptionTurnsThemOnAndAReconnectKeepsThem() {
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      page.run(SEEN + """
          const r = record('u', { servers: ['%s'], reconnectDelayMax: 200 });
          await r.client.subscribe('room.up', r.handler);
          await r.client.subscribe('room.up', r.handler, { onJoin: seen(r).onJoin });
          """.formatted(proxy.url()));
      String other = cluster.node(1).nodeId();
      joinAs("room.up", "Dee");
      awaitSeen("u", "join Dee@" + other + " room.up");
      proxy.cut();
      page.run("await waitFor(() => rec.u.count('disconnected') > 0);");
      proxy.restore();
      page.run("await waitFor(() => rec.u.client.state === 'connected' && rec.u.client.reconnects === 1);");
      joinAs("room.up", "Eve");
      awaitSeen("u", "join Eve@" + other + " room.up");
    }
  }

  @Test
  void callbacksOnAPatternAreRefused() {
    page.run("record('p', { servers: ['%s'] });".formatted(cluster.url(0)));
    assertThatThrownBy(() -> page.run("await rec.p.client.subscribe('room.*', () => {}, { onJoin: () => {} })"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("TypeError").hasMessageContaining("pattern");
    assertThatThrownBy(() -> page.run("await rec.p.client.subscribe('room.a', () => {}, { onLeave: 'no' })"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("TypeError");
  }
}
