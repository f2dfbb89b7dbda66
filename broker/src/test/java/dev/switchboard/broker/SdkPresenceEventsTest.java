package dev.switchboard.broker;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.FreezableProxy;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.PresenceEvent;
import dev.switchboard.client.PresenceListener;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java SDK's presence listener on two real nodes: joins and leaves of a client on the other node reach the
 * listener on the client's dispatcher, a subscription without a listener is given none, and a reconnected client keeps
 * asking for them.
 */
class SdkPresenceEventsTest {
  static TestCluster cluster;
  static Clients sdk;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.presence(List.of("room.>")).presenceGraceMs(300));
    sdk = new Clients();
  }

  @AfterAll
  static void stop() {
    sdk.close();
    cluster.close();
  }

  /** Records each event as "join name@node" or "leave name@node", with the thread it ran on. */
  static final class Heard implements PresenceListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onJoin(PresenceEvent e) {
      record("join", e);
    }

    @Override
    public void onLeave(PresenceEvent e) {
      record("leave", e);
    }

    private void record(String kind, PresenceEvent e) {
      threads.add(Thread.currentThread().getName());
      Object info = e.info();
      String name = info instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "?";
      events.add(kind + " " + name + "@" + e.node() + " " + e.topic());
    }

    void awaitHeard(String... expected) {
      await().atMost(Duration.ofSeconds(20)).until(() -> events.containsAll(List.of(expected)));
    }
  }

  private static SubscribeOptions listening(String name, PresenceListener listener) {
    return SubscribeOptions.builder().info(Map.of("name", name)).presenceListener(listener).build();
  }

  @Test
  void aJoinAndALeaveOnTheOtherNodeReachTheListenerAndNoOneElse() {
    Heard heard = new Heard();
    SwitchboardClient watcher = sdk.connect(cluster.url(0)).client;
    Clients.join(watcher.subscribe("room.ev", listening("watcher", heard), m -> { }));
    // A subscription without a listener, in a client whose dispatcher counts its tasks: it is given nothing.
    ExecutorService counted = Executors.newSingleThreadExecutor();
    AtomicInteger tasks = new AtomicInteger();
    SwitchboardClient quiet = sdk.connect(b -> b.dispatcher(r -> {
      tasks.incrementAndGet();
      counted.execute(r);
    }), cluster.url(0)).client;
    Clients.join(quiet.subscribe("room.ev", SubscribeOptions.builder().info(Map.of("name", "quiet")).build(),
        m -> tasks.addAndGet(1000)));
    heard.awaitHeard("join quiet@" + cluster.node(0).nodeId() + " room.ev");
    int tasksBefore = tasks.get();

    String other = cluster.node(1).nodeId();
    SwitchboardClient ada = sdk.connect(cluster.url(1)).client;
    Clients.join(ada.subscribe("room.ev", SubscribeOptions.builder().info(Map.of("name", "Ada")).build(), m -> { }));
    heard.awaitHeard("join Ada@" + other + " room.ev");
    ada.close();
    heard.awaitHeard("join Ada@" + other + " room.ev", "leave Ada@" + other + " room.ev");

    assertThat(heard.events).filteredOn(e -> e.contains("Ada"))
        .containsExactly("join Ada@" + other + " room.ev", "leave Ada@" + other + " room.ev");
    assertThat(heard.threads).allMatch(t -> t.startsWith("switchboard-dispatch"), "the client's dispatcher");
    assertThat(tasks.get()).isEqualTo(tasksBefore);
    counted.shutdown();
  }

  @Test
  void aSecondLocalSubscriptionWithAListenerTurnsTheEventsOnAndAReconnectKeepsThem() {
    try (FreezableProxy proxy = FreezableProxy.start(cluster.clients(), cluster.node(0).port())) {
      Clients.Recorded watcher = sdk.connect(proxy.url());
      // First without a listener: the wire subscription does not ask; then one with a listener joins it.
      Clients.join(watcher.client.subscribe("room.late", SubscribeOptions.DEFAULTS, m -> { }));
      Heard heard = new Heard();
      Clients.join(watcher.client.subscribe("room.late", listening("watcher", heard), m -> { }));
      String other = cluster.node(1).nodeId();
      SwitchboardClient bob = sdk.connect(cluster.url(1)).client;
      Clients.join(bob.subscribe("room.late", SubscribeOptions.builder().info(Map.of("name", "Bob")).build(),
          m -> { }));
      heard.awaitHeard("join Bob@" + other + " room.late");

      proxy.cut();
      watcher.awaitEvent(ConnectionState.DISCONNECTED, 1);
      proxy.restore();
      watcher.awaitEvent(ConnectionState.RECONNECTED, 1);
      SwitchboardClient cy = sdk.connect(cluster.url(1)).client;
      Clients.join(cy.subscribe("room.late", SubscribeOptions.builder().info(Map.of("name", "Cy")).build(), m -> { }));
      heard.awaitHeard("join Cy@" + other + " room.late");
      cy.close();
      heard.awaitHeard("leave Cy@" + other + " room.late");
    }
  }
}
