package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import dev.switchboard.client.PresenceStats;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK's presence on two real nodes: a subscription's info is listed on the other node, pages walk every
 * member once, counts, refusals with their codes, and the info comes back with the subscription after a reconnect.
 */
class SdkPresenceTest {
  static TestCluster cluster;
  static Clients sdk;

  /** An info type of the application's own. */
  public record Profile(String name, int seat) {
  }

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.presence(List.of("room.>")));
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  static SwitchboardClient join(int node, String topic, Object info) {
    SwitchboardClient c = sdk.connect(cluster.url(node)).client;
    Clients.join(c.subscribe(topic, SubscribeOptions.builder().info(info).build(), m -> { }));
    return c;
  }

  static void awaitClients(SwitchboardClient asker, String topic, long clients) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> Clients.join(asker.presenceStats(topic)).clients() == clients);
  }

  @Test
  void membersAndTheirInfoAreSeenFromTheOtherNode() {
    SwitchboardClient ada = join(0, "room.seen", Map.of("name", "Ada"));
    SwitchboardClient bob = join(0, "room.seen", new Profile("Bob", 7));
    SwitchboardClient anonymous = join(1, "room.seen", null);
    SwitchboardClient asker = sdk.connect(cluster.url(1)).client; // not subscribed itself
    awaitClients(asker, "room.seen", 3);

    List<PresenceMember> members = Clients.join(asker.presenceMembers("room.seen", 100));
    assertThat(members).hasSize(3);
    PresenceMember a = only(members, "Ada");
    assertThat(a.info()).isEqualTo(Map.of("name", "Ada"));
    assertThat(a.node()).isEqualTo(ada.nodeId()).isEqualTo(cluster.node(0).nodeId());
    assertThat(a.user()).isNull();
    assertThat(only(members, "Bob").infoAs(Profile.class)).isEqualTo(new Profile("Bob", 7));
    assertThat(only(members, "Bob").node()).isEqualTo(bob.nodeId());
    PresenceMember none = members.stream().filter(m -> m.info() == null).findFirst().orElseThrow();
    assertThat(none.infoJson()).isEqualTo("null");
    assertThat(none.node()).isEqualTo(anonymous.nodeId()).isEqualTo(cluster.node(1).nodeId());
    assertThat(members).extracting(PresenceMember::client).doesNotHaveDuplicates().isSorted();

    awaitClients(ada, "room.seen", 3); // node A learns of the member on node B within a batch or two
    PresenceStats stats = Clients.join(ada.presenceStats("room.seen"));
    assertThat(stats).isEqualTo(new PresenceStats("room.seen", 3, 3));
  }

  @Test
  void pagesWalkEveryMemberOnce() {
    for (int i = 0; i < 7; i++) {
      join(i % 2, "room.pages", Map.of("n", i));
    }
    SwitchboardClient asker = sdk.connect(cluster.url(0)).client;
    awaitClients(asker, "room.pages", 7);
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      PresencePage page = Clients.join(asker.presence("room.pages", after, 3));
      assertThat(page.topic()).isEqualTo("room.pages");
      assertThat(page.members()).hasSizeLessThanOrEqualTo(3);
      page.members().forEach(m -> seen.add(m.client()));
      after = page.next();
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates().isSorted();
    assertThat(Clients.join(asker.presenceMembers("room.pages", 100))).extracting(PresenceMember::client)
        .containsExactlyElementsOf(seen);
    assertThat(Clients.join(asker.presenceMembers("room.pages", 5))).extracting(PresenceMember::client)
        .containsExactlyElementsOf(seen.subList(0, 5));
  }

  @Test
  void refusalsCarryTheirCodes() {
    SwitchboardClient c = sdk.connect(cluster.url(0)).client;
    assertThat(code(c.presence("plain.topic", null, 10))).isEqualTo("not_enabled");
    assertThat(code(c.presenceStats("plain.topic"))).isEqualTo("not_enabled");
    assertThat(code(c.presenceStats("room.>"))).isEqualTo("invalid_topic");
    assertThat(code(c.presence("room.a", null, 0))).startsWith(IllegalArgumentException.class.getName());
    assertThat(code(c.presence("room.a", null, PresencePage.MAX_LIMIT + 1)))
        .startsWith(IllegalArgumentException.class.getName());
    String tooBig = "x".repeat(SubscribeOptions.MAX_INFO_BYTES);
    assertThat(code(c.subscribe("room.a", SubscribeOptions.builder().info(tooBig).build(), m -> { })))
        .startsWith(IllegalArgumentException.class.getName());
    // The connection goes on.
    assertThat(Clients.join(c.presenceStats("room.a")).clients()).isZero();
  }

  @Test
  void theInfoComesBackAfterAReconnectAndAQueryWaitsForTheConnection() {
    SwitchboardClient asker = sdk.connect(cluster.url(1)).client;
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded away = sdk.connect(proxy.url());
      Clients.join(away.client.subscribe("room.back", SubscribeOptions.builder().info(Map.of("name", "Cy")).build(),
          m -> { }));
      awaitClients(asker, "room.back", 1);
      String before = Clients.join(asker.presence("room.back", null, 10)).members().get(0).client();

      proxy.cut();
      away.awaitEvent(ConnectionState.DISCONNECTED, 1);
      awaitClients(asker, "room.back", 0);
      CompletableFuture<PresencePage> askedOffline = away.client.presence("room.back", null, 10)
          .toCompletableFuture();
      assertThat(askedOffline).isNotDone();
      proxy.restore();

      away.awaitEvent(ConnectionState.RECONNECTED, 1);
      assertThat(askedOffline).succeedsWithin(Duration.ofSeconds(10));
      awaitClients(asker, "room.back", 1);
      PresenceMember back = Clients.join(asker.presence("room.back", null, 10)).members().get(0);
      assertThat(back.client()).isNotEqualTo(before); // a new connection, a new session
      assertThat(back.info()).isEqualTo(Map.of("name", "Cy"));
    }
  }

  private static PresenceMember only(List<PresenceMember> members, String name) {
    return members.stream().filter(m -> m.infoJson().contains("\"" + name + "\"")).findFirst().orElseThrow();
  }

  /** The failure of a stage: a broker or client code, else the exception's class and message. */
  private static String code(java.util.concurrent.CompletionStage<?> stage) {
    String code = SdkPressureTest.code(stage.toCompletableFuture());
    return code == null ? "succeeded" : code;
  }
}
