package dev.switchboard.broker.browser;

import dev.switchboard.broker.browser.PageScript.ScriptError;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client's presence in a real headless Chromium, on two real nodes with {@code --presence room.>}: the
 * page's info is seen by a Java client on the other node and the other way round, pages and counts resolve, refusals
 * reject with their codes, a request made before the connection waits for it, and the info comes back after a
 * reconnect.
 */
class JsPresenceBrowserTest extends RigTest {
  @Override
  BrowserRig startRig() {
    return BrowserRig.start(2, o -> o.presence(List.of("room.>")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void infoPagesAndCountsAcrossNodes() {
    SwitchboardClient bob = sdk.connect(cluster.url(1)).client;
    join(bob.subscribe("room.js", SubscribeOptions.builder().info(Map.of("name", "Bob")).build(), m -> { }));
    Map<?, ?> result = (Map<?, ?>) page.run("""
        const r = record('a', { servers: ['%s'] });
        const early = r.client.presenceStats('room.js'); // asked before the connection: it waits for it
        await r.client.subscribe('room.js', r.handler, { info: { name: 'Ada' } });
        const first = await early;
        let stats = await r.client.presenceStats('room.js');
        while (stats.clients < 2) stats = await r.client.presenceStats('room.js');
        const one = await r.client.presence('room.js', { limit: 1 });
        const two = await r.client.presence('room.js', { after: one.next, limit: 1 });
        const all = await r.client.presence('room.js');
        return { first: first.topic, stats, one: one.members.length, next: two.next,
          names: [...one.members, ...two.members].map(m => m.info.name), all: all.members,
          frozen: Object.isFrozen(all) && Object.isFrozen(all.members[0]) };
        """.formatted(cluster.url(0)));
    assertThat(result.get("first")).isEqualTo("room.js");
    assertThat(result.get("stats")).isEqualTo(Map.of("topic", "room.js", "clients", 2L, "users", 2L));
    assertThat(result.get("one")).isEqualTo(1L);
    assertThat(result.get("next")).isNull();
    assertThat((List<Object>) result.get("names")).containsExactlyInAnyOrder("Ada", "Bob");
    assertThat((List<?>) result.get("all")).hasSize(2).allSatisfy(m -> assertThat(((Map<?, ?>) m).keySet())
        .isEqualTo(java.util.Set.of("client", "user", "info", "node")));
    assertThat(result.get("frozen")).isEqualTo(true);

    // Node B learns of the page's join within a batch or two.
    PresenceMember ada = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> join(bob.presenceMembers("room.js", 10)).stream().filter(m -> m.infoJson().contains("Ada"))
            .findFirst().orElse(null), java.util.Objects::nonNull);
    assertThat(ada.info()).isEqualTo(Map.of("name", "Ada"));
    assertThat(ada.node()).isEqualTo(cluster.node(0).nodeId());
  }

  @Test
  void refusalsRejectWithTheirCodes() {
    page.run("const r = record('e', { servers: ['%s'] }); await waitFor(() => r.client.state === 'connected');"
        .formatted(cluster.url(0)));
    assertThat(code("await rec.e.client.presence('plain.topic')")).isEqualTo("not_enabled");
    assertThat(code("await rec.e.client.presenceStats('plain.topic')")).isEqualTo("not_enabled");
    assertThat(code("await rec.e.client.presenceStats('room.>')")).isEqualTo("invalid_topic");
    assertThatThrownBy(() -> page.run("await rec.e.client.presence('room.a', { limit: 0 })"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("RangeError");
    assertThatThrownBy(() -> page.run("await rec.e.client.subscribe('room.a', () => {}, { info: 'x'.repeat(1100) })"))
        .isInstanceOf(ScriptError.class).hasMessageContaining("TypeError");
    assertThat(page.number("return (await rec.e.client.presenceStats('room.a')).clients")).isZero();
  }

  @Test
  void theInfoComesBackAfterAReconnect() {
    SwitchboardClient observer = sdk.connect(cluster.url(1)).client;
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      page.run("""
          const r = record('r', { servers: ['%s'], reconnectDelayMax: 200 });
          await r.client.subscribe('room.back', r.handler, { info: { name: 'Cy' } });
          """.formatted(proxy.url()));
      awaitNames(observer, List.of("Cy"));
      proxy.cut();
      awaitNames(observer, List.of());
      proxy.restore();
      awaitNames(observer, List.of("Cy"));
      assertThat(page.number("await waitFor(() => rec.r.client.state === 'connected'); return rec.r.client.reconnects"))
          .isEqualTo(1);
    }
  }

  private void awaitNames(SwitchboardClient observer, List<String> names) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> join(
        observer.presenceMembers("room.back", 10)).stream().map(m -> ((Map<?, ?>) m.info()).get("name")).toList()
        .equals(names));
  }

  /** Runs {@code body}, which must reject with a {@code SwitchboardError}; returns its code. */
  private String code(String body) {
    try {
      page.run(body);
    } catch (ScriptError e) {
      assertThat(e.name).isEqualTo("SwitchboardError");
      return e.code;
    }
    throw new AssertionError("expected a rejection: " + body);
  }
}
