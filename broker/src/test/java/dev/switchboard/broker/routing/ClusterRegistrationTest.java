package dev.switchboard.broker.routing;

import dev.switchboard.broker.SwitchboardNode;
import dev.switchboard.broker.testing.Eventually;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's own registration state, read from another member: one consumer per topic per node while it has
 * local subscribers, none after the last one leaves (by unsubscribing or by closing), and the same for patterns in
 * the pattern directory. Each exchange with the node and each read of the cluster's state is a future, chained; state
 * that sends no event is polled ({@link Eventually}).
 */
@ExtendWith(VertxExtension.class)
class ClusterRegistrationTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static TestCluster cluster;
  final List<Probe> probes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(2, o -> o.instances(1));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void closeProbes() {
    probes.forEach(Probe::close);
  }

  Probe probe(SwitchboardNode node) {
    Probe probe = Probe.connect(cluster.clients(), node.port());
    probes.add(probe);
    return probe;
  }

  /** Node ids that node {@code observer} sees registered for {@code address}, read from Hazelcast. */
  static Future<List<String>> registeredNodes(int observer, String address) {
    Promise<List<RegistrationInfo>> promise = Promise.promise();
    cluster.node(observer).clusterManager().getRegistrations(address, promise);
    return promise.future().map(r -> r.stream().map(RegistrationInfo::nodeId).collect(Collectors.toList()));
  }

  /** Whether node {@code observer}'s pattern directory holds {@code pattern} (a Hazelcast read: on a worker). */
  static Future<Boolean> patternKnown(Vertx vertx, int observer, String pattern) {
    return vertx.executeBlocking(() -> patternKeys(cluster, observer).stream()
        .anyMatch(k -> k.endsWith(" " + pattern)));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void oneConsumerPerTopicPerNodeRemovedWithTheLastSubscriber(Vertx vertx, VertxTestContext ctx) {
    SwitchboardNode node0 = cluster.node(0);
    String address = Hub.address("reg.topic");
    Probe a = probe(node0);
    Probe b = probe(node0);
    a.request("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"reg.topic\"}", "subscribed")
        .compose(f -> b.request("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"reg.topic\"}", "subscribed"))
        .compose(f -> registeredNodes(1, address))
        .compose(nodes -> {
          assertThat(nodes).containsExactly(node0.nodeId());
          assertThat(node0.stats().clusterConsumers()).isEqualTo(1);
          return a.request("{\"type\":\"unsubscribe\",\"id\":\"2\",\"topic\":\"reg.topic\"}", "unsubscribed");
        })
        .compose(f -> registeredNodes(1, address))
        .compose(nodes -> {
          assertThat(nodes).containsExactly(node0.nodeId());
          return b.request("{\"type\":\"unsubscribe\",\"id\":\"2\",\"topic\":\"reg.topic\"}", "unsubscribed");
        })
        .compose(f -> Eventually.until(vertx, WAIT, () -> registeredNodes(1, address).map(List::isEmpty)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(node0.stats().clusterConsumers()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void closingTheConnectionRemovesItsRegistrationsAndPatterns(Vertx vertx, VertxTestContext ctx) {
    SwitchboardNode node0 = cluster.node(0);
    Probe a = probe(node0);
    a.request("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"gone.topic\"}", "subscribed")
        .compose(f -> a.request("{\"type\":\"subscribe\",\"id\":\"2\",\"topic\":\"gone.*\"}", "subscribed"))
        .compose(f -> Future.all(registeredNodes(1, Hub.address("gone.topic")),
            registeredNodes(1, Hub.address("gone.*"))))
        .compose(registered -> {
          assertThat(registered.<List<String>>resultAt(0)).containsExactly(node0.nodeId());
          assertThat(registered.<List<String>>resultAt(1)).containsExactly(node0.nodeId());
          return Eventually.until(vertx, WAIT, () -> patternKnown(vertx, 1, "gone.*"));
        })
        .compose(v -> {
          long connections = node0.stats().connections();
          return a.ws.close()
              .compose(closed -> Eventually.until(vertx, WAIT, () -> Future.all(
                      registeredNodes(1, Hub.address("gone.topic")), registeredNodes(1, Hub.address("gone.*")),
                      patternKnown(vertx, 1, "gone.*"))
                  .map(now -> now.<List<String>>resultAt(0).isEmpty() && now.<List<String>>resultAt(1).isEmpty()
                      && !now.<Boolean>resultAt(2))))
              .compose(gone -> Eventually.until(vertx, WAIT,
                  () -> Future.succeededFuture(node0.stats().connections() == connections - 1)));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(node0.stats().subscriptions()).isZero();
          ctx.completeNow();
        })));
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
