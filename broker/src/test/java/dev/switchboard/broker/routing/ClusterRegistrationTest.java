package dev.switchboard.broker.routing;

import dev.switchboard.broker.SwitchboardNode;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.RegistrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster's own registration state, read from another member: one consumer per topic per node while it has
 * local subscribers, none after the last one leaves (by unsubscribing or by closing), and the same for patterns in
 * the pattern directory.
 */
class ClusterRegistrationTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.instances(1));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** Node ids that node {@code observer} sees registered for {@code address}, read from Hazelcast. */
  static List<String> registeredNodes(int observer, String address) {
    Promise<List<RegistrationInfo>> promise = Promise.promise();
    cluster.node(observer).clusterManager().getRegistrations(address, promise);
    return Probe.await(promise.future()).stream().map(RegistrationInfo::nodeId).collect(Collectors.toList());
  }

  static Set<String> patternKeys(int observer) {
    return patternKeys(cluster, observer);
  }

  @Test
  void oneConsumerPerTopicPerNodeRemovedWithTheLastSubscriber() {
    SwitchboardNode node0 = cluster.node(0);
    String address = Hub.address("reg.topic");
    try (Probe a = Probe.connect(cluster.clients(), node0.port());
         Probe b = Probe.connect(cluster.clients(), node0.port())) {
      a.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"reg.topic\"}").next("subscribed");
      b.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"reg.topic\"}").next("subscribed");
      assertThat(registeredNodes(1, address)).containsExactly(node0.nodeId());
      assertThat(node0.stats().clusterConsumers()).isEqualTo(1);

      a.send("{\"type\":\"unsubscribe\",\"id\":\"2\",\"topic\":\"reg.topic\"}").next("unsubscribed");
      assertThat(registeredNodes(1, address)).containsExactly(node0.nodeId());

      b.send("{\"type\":\"unsubscribe\",\"id\":\"2\",\"topic\":\"reg.topic\"}").next("unsubscribed");
      await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes(1, address).isEmpty());
      assertThat(node0.stats().clusterConsumers()).isZero();
    }
  }

  @Test
  void closingTheConnectionRemovesItsRegistrationsAndPatterns() {
    SwitchboardNode node0 = cluster.node(0);
    Probe a = Probe.connect(cluster.clients(), node0.port());
    a.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"gone.topic\"}").next("subscribed");
    a.send("{\"type\":\"subscribe\",\"id\":\"2\",\"topic\":\"gone.*\"}").next("subscribed");
    assertThat(registeredNodes(1, Hub.address("gone.topic"))).containsExactly(node0.nodeId());
    assertThat(registeredNodes(1, Hub.address("gone.*"))).containsExactly(node0.nodeId());
    await().atMost(Duration.ofSeconds(10)).until(() -> patternKeys(1).stream().anyMatch(k -> k.endsWith(" gone.*")));
    long connections = node0.stats().connections();

    a.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> registeredNodes(1, Hub.address("gone.topic")).isEmpty()
        && registeredNodes(1, Hub.address("gone.*")).isEmpty()
        && patternKeys(1).stream().noneMatch(k -> k.endsWith(" gone.*")));
    await().atMost(Duration.ofSeconds(10)).until(() -> node0.stats().connections() == connections - 1);
    assertThat(node0.stats().subscriptions()).isZero();
  }

  @Test
  void aNodeThatJoinsLaterKnowsThePatternsAlreadyHeldAndRoutesToThem() {
    try (TestCluster small = TestCluster.of(1, o -> o.instances(1));
         Probe subscriber = Probe.connect(small.clients(), small.node(0).port())) {
      subscriber.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"late.*\"}").next("subscribed");
      SwitchboardNode joined = small.add(o -> o.instances(1));
      small.awaitMembers();
      assertThat(patternKeys(small, 1)).anyMatch(k -> k.endsWith(" late.*"));
      try (Probe publisher = Probe.connect(small.clients(), joined.port())) {
        // The very first publish on the new node is routed to the pattern: no window in which it is unknown there.
        publisher.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"late.news\",\"data\":1}").next("ack");
        assertThat(subscriber.next("message").getString("pattern")).isEqualTo("late.*");
      }
    }
  }

  static Set<String> patternKeys(TestCluster in, int observer) {
    return Set.copyOf(in.node(observer).clusterManager().getHazelcastInstance()
        .<String, Boolean>getMap(HazelcastPatternDirectory.MAP).keySet());
  }
}
