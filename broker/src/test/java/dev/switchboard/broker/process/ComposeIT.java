package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.client.Message;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml as shipped (three nodes, nginx in front) with compose/chaos.yml (history topics
 * {@code chaos.>}), on the images scripts/compose-images.sh builds, driven by SDK clients that know only the load
 * balancer's URL. Under a load of {@value #RATE} messages a second from {@value #PUBLISHERS} publishers to
 * {@value #SUBSCRIBERS} subscribers of a history topic, in this order, each from a healthy cluster of three:
 * <ol>
 *   <li>every node is ready in a cluster of three members;</li>
 *   <li>a message published on any node reaches subscribers on every node;</li>
 *   <li>{@code docker kill} of a node: no acked message lost or duplicated, every subscriber recovers;</li>
 *   <li>{@code docker-compose stop} of a node (it drains its clients, 4002): nothing lost; started again, it
 *   rejoins;</li>
 *   <li>a rolling restart of the three nodes, one after another: nothing lost;</li>
 *   <li>a node cut off from the network for 20 s ({@code docker network disconnect}, then connect at its address): it
 *   stops serving (fewer than {@code SWITCHBOARD_MIN_MEMBERS}), its clients come back through the balancer to the
 *   majority, the cluster merges back into three, nothing acked is lost for the majority's subscribers (the
 *   isolated node's own are held to order and no duplicate: docs/protocol.md, "Not closed yet");</li>
 *   <li>a node recreated at another address is reached through the balancer again (docker/lb.sh reloads nginx).</li>
 * </ol>
 * Each scenario prints a {@code SUMMARY} line (failsafe keeps it in ComposeIT-output.txt). Skipped, with the reason,
 * when no Docker engine answers or the images are missing, unless {@code SWITCHBOARD_REQUIRE_DOCKER=1}: then it fails.
 * On a failure the services' last log lines are printed before the project is taken down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {
  private static final int RATE = 100;
  private static final int PUBLISHERS = 2;
  private static final int SUBSCRIBERS = 6;
  /** Acked messages before a fault, and again after each recovery step. */
  private static final int LOAD_STEP = 200;
  private static final Duration PARTITION = Duration.ofSeconds(20);
  private static final Duration FORM = Duration.ofMinutes(3);
  private static final Duration REJOIN = Duration.ofMinutes(2);
  private static final Duration MERGE = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ComposeCluster cluster;
  private static volatile boolean failed;
  private static volatile String broken;
  private static String skipped;

  @RegisterExtension
  static final AfterEachCallback FAILURES = context -> {
    if (context.getExecutionException().isPresent()) {
      failed = true;
    }
  };

  @BeforeAll
  static void up() throws URISyntaxException {
    Optional<String> unavailable = ComposeStack.unavailable();
    if (unavailable.isPresent()) {
      if ("1".equals(System.getenv("SWITCHBOARD_REQUIRE_DOCKER"))) {
        Assertions.fail("SWITCHBOARD_REQUIRE_DOCKER=1 but " + unavailable.get());
      }
      // Skipped test by test (an abort in @BeforeAll is not reported with its reason).
      skipped = unavailable.get() + ": the compose stack is not tested";
      System.out.println(skipped);
      return;
    }
    Path chaos = Path.of(ComposeIT.class.getResource("/compose/chaos.yml").toURI());
    long start = System.nanoTime();
    cluster = ComposeCluster.up(chaos);
    try {
      cluster.awaitMembers(3, FORM);
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
    cluster.log(String.format(Locale.ROOT, "SUMMARY startup: three nodes ready with 3 members %.1f s after up",
        seconds(start)));
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      if (failed) {
        cluster.printLogs(200);
      }
      cluster.close();
    }
  }

  /** Every scenario starts from a healthy cluster: what a failed one left behind is healed first. */
  @BeforeEach
  void healthy() {
    Assumptions.assumeTrue(skipped == null, skipped);
    assertThat(broken).as("the cluster did not recover from an earlier scenario").isNull();
    try {
      cluster.heal();
      cluster.awaitMembers(3, REJOIN);
    } catch (RuntimeException | Error e) {
      broken = String.valueOf(e.getMessage());
      throw e;
    }
  }

  @Test
  @Order(1)
  void everyNodeIsReadyInAClusterOfThree() {
    Map<String, String> said = new LinkedHashMap<>();
    for (String node : ComposeCluster.NODES) {
      ComposeCluster.Readiness ready = cluster.readiness(node);
      cluster.log(node + " /health/ready: " + ready.status() + " " + ready.body());
      assertThat(ready.status()).as(node).isEqualTo(200);
      assertThat(ready.body()).as(node).contains("\"members\":3");
      said.put(node, ready.toString());
    }
    assertThat(Http.get(cluster.lbPort(), "/lb-health").statusCode()).isEqualTo(200);
    assertThat(Http.get(cluster.lbPort(), "/health/ready").statusCode()).as("not passed by the balancer")
        .isEqualTo(404);
    // Quiet starts: peers that come up a moment later are waited for, and host names are not matched against
    // network interfaces (Hazelcast warns for both).
    assertThat(cluster.logs(1000)).doesNotContain("dns can be spoofed", "Cannot resolve hostname", "SEVERE");
    cluster.log("SUMMARY members: " + said);
  }

  @Test
  @Order(2)
  void aMessagePublishedOnAnyNodeReachesSubscribersOnEveryNode() {
    Map<String, String> ids = cluster.nodeIds();
    try (Clients clients = new Clients()) {
      Map<String, Clients.Recorded> byNode = new TreeMap<>();
      for (int i = 0; i < 12 && byNode.size() < 3; i++) { // round robin: a few connections reach every node
        Clients.Recorded client = clients.connect(cluster.lbUrl());
        byNode.putIfAbsent(ids.get(client.client.nodeId()), client);
      }
      assertThat(byNode.keySet()).as("nodes reached through the balancer").containsExactlyElementsOf(
          ComposeCluster.NODES);
      Map<String, List<String>> received = new TreeMap<>();
      byNode.forEach((node, client) -> {
        List<String> got = new CopyOnWriteArrayList<>();
        received.put(node, got);
        Clients.join(client.client.subscribe("chaos.cross", (Message m) -> got.add((String) m.data())));
      });
      long start = System.nanoTime();
      byNode.forEach((node, client) -> Clients.join(client.client.publish("chaos.cross", "from-" + node)));
      List<String> all = ComposeCluster.NODES.stream().map(n -> "from-" + n).toList();
      await("every subscriber has every node's message").atMost(WAIT).pollInterval(Duration.ofMillis(50))
          .until(() -> received.values().stream().allMatch(got -> got.containsAll(all)));
      received.forEach((node, got) -> assertThat(got).as("received on %s", node).containsExactlyInAnyOrderElementsOf(
          all));
      cluster.log(String.format(Locale.ROOT, "SUMMARY cross-node: 3 publishers on %s, 3 subscribers on %s: 9 of 9 "
          + "deliveries in %d ms", byNode.keySet(), received.keySet(), (System.nanoTime() - start) / 1_000_000));
    }
  }

  @Test
  @Order(3)
  void killingANodeUnderLoadLosesNoAckedMessage() throws Exception {
    underLoad("kill", "chaos.kill", (load, ids, notes) -> {
      String victim = load.busiest(ids);
      List<String> held = load.on(victim, ids);
      notes.figure("victim", victim + held);
      long fault = System.nanoTime();
      cluster.kill(victim);
      awaitMovedAndBack(load, held, fault);
      load.awaitMoreAcked(LOAD_STEP, WAIT);
      notes.disruption(load.disruption(fault));
      notes.figure("rejoined", rejoin(victim));
      load.awaitMoreAcked(LOAD_STEP, WAIT);
    });
  }

  @Test
  @Order(4)
  void stoppingANodeDrainsItsClientsAndLosesNothing() throws Exception {
    underLoad("stop", "chaos.stop", (load, ids, notes) -> {
      String victim = load.busiest(ids);
      List<String> held = load.on(victim, ids);
      notes.figure("victim", victim + held);
      long fault = System.nanoTime();
      cluster.stop(victim);
      notes.figure("exited", since(fault));
      awaitMovedAndBack(load, held, fault);
      load.awaitMoreAcked(LOAD_STEP, WAIT);
      HistoryLoad.Disruption moved = load.disruption(fault);
      notes.disruption(moved);
      notes.figure("rejoined", rejoin(victim));
      load.awaitMoreAcked(LOAD_STEP, WAIT);
      assertThat(moved.closeCodes()).as("its clients were closed with node_draining").containsKey(4002);
    });
  }

  @Test
  @Order(5)
  void aRollingRestartLosesNothing() throws Exception {
    underLoad("rolling-restart", "chaos.rolling", (load, ids, notes) -> {
      long start = System.nanoTime();
      List<String> exited = new ArrayList<>();
      List<String> rejoined = new ArrayList<>();
      for (String node : ComposeCluster.NODES) {
        long stop = System.nanoTime();
        cluster.stop(node);
        exited.add(since(stop));
        rejoined.add(rejoin(node));
        notes.line(node + " exited " + exited.get(exited.size() - 1) + " after SIGTERM; 3 members on every node "
            + rejoined.get(rejoined.size() - 1) + " after it started again");
        load.awaitMoreAcked(LOAD_STEP / 2, WAIT);
      }
      notes.figure("restarted", since(start));
      notes.figure("exited", String.join("/", exited));
      notes.figure("rejoined", String.join("/", rejoined));
      awaitEveryoneBack(load, start);
      notes.disruption(load.disruption(start));
    });
  }

  @Test
  @Order(6)
  void aNodeCutOffStopsServingAndTheClusterMergesBackLosingNothing() throws Exception {
    underLoad("partition", "chaos.partition", (load, ids, notes) -> {
      String victim = load.busiest(ids);
      List<String> held = load.on(victim, ids);
      List<String> majority = ComposeCluster.NODES.stream().filter(n -> !n.equals(victim)).toList();
      notes.figure("victim", victim + held);
      // Known (docs/protocol.md, History topics): the isolated node's own subscribers may have read, from its copy of
      // the store, messages it stored at the cut whose backups never arrived; the majority gives those offsets to
      // other messages, and a client recovering with such a position is not told. The promise is for the
      // majority's clients; these are checked for duplicates and order only, and their losses are printed.
      notes.allowLoss(held, "clients of the isolated node (see docs/protocol.md, the window recovery does not close)");
      Map<String, Integer> isolatedSaid = new LinkedHashMap<>();
      Map<String, Integer> majoritySaid = new LinkedHashMap<>();
      long fault = System.nanoTime();
      String ip = cluster.disconnect(victim);
      // The partition itself, PARTITION long; meanwhile, what each side's /health/ready says.
      await("the partition").atMost(PARTITION.plusSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        isolatedSaid.merge(cluster.readinessInside(victim).toString(), 1, Integer::sum);
        majority.forEach(n -> majoritySaid.merge(n + " " + cluster.readiness(n), 1, Integer::sum));
        return System.nanoTime() - fault >= PARTITION.toNanos();
      });
      cluster.reconnect(victim);
      long healed = System.nanoTime();
      notes.figure("partition", since(fault));
      notes.figure("isolatedReady", times(isolatedSaid));
      notes.line(victim + " (" + ip + ") said " + times(isolatedSaid) + " while cut off; the others said "
          + times(majoritySaid));
      try {
        cluster.awaitMembers(3, MERGE);
      } finally {
        notes.figure("merged", since(healed));
      }
      awaitMovedAndBack(load, held, fault);
      awaitEveryoneBack(load, fault);
      load.awaitMoreAcked(LOAD_STEP, WAIT);
      notes.disruption(load.disruption(fault));
      assertThat(isolatedSaid.keySet()).as("the isolated node was not ready while alone")
          .anyMatch(s -> s.startsWith("503"));
    });
  }

  @Test
  @Order(7)
  void aNodeRecreatedAtAnotherAddressIsReachedThroughTheBalancer() {
    String node = "node3";
    long start = System.nanoTime();
    String address = cluster.recreateElsewhere(node);
    cluster.awaitMembers(3, REJOIN);
    String id = cluster.nodeId(node);
    // nginx resolved node3 when it started; docker/lb.sh reloads it with the new address. Round robin over three
    // nodes: within a few connections one lands on node3 (none would, were nginx still on the old address).
    try (Clients clients = new Clients()) {
      await("a client through the balancer on " + node + " at " + address).atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> clients.connect(cluster.lbUrl()).client.nodeId().equals(id));
    }
    cluster.log(String.format(Locale.ROOT, "SUMMARY recreated: %s at %s, reached through nginx %.1f s after the"
        + " stop", node, address, seconds(start)));
  }

  /** One scenario's steps, given the load, the node ids (id to service name) and the scenario's notes. */
  @FunctionalInterface
  private interface Steps {
    void run(HistoryLoad load, Map<String, String> ids, ScenarioNotes notes) throws Exception;
  }

  /**
   * Runs {@code steps} under load on {@code topic} after {@value #LOAD_STEP} acked messages, then stops publishing,
   * waits for the subscribers, prints the SUMMARY line and the notes (also when a step failed) and checks that every
   * subscriber received every acked message once, in offset order.
   */
  private static void underLoad(String scenario, String topic, Steps steps) throws Exception {
    Map<String, String> ids = cluster.nodeIds();
    ScenarioNotes notes = new ScenarioNotes();
    HistoryLoad.Report report;
    try (HistoryLoad load = HistoryLoad.start(cluster.lbUrl(), topic, PUBLISHERS, SUBSCRIBERS, RATE)) {
      cluster.log(scenario + ": clients by node " + load.placement(ids));
      Throwable failure = null;
      try {
        load.awaitMoreAcked(LOAD_STEP, WAIT);
        steps.run(load, ids, notes);
      } catch (Exception | Error e) {
        failure = e;
        notes.line("FAILED: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      }
      report = load.finish(WAIT);
      cluster.log(report.line(scenario) + " " + notes.figures());
      notes.lines.forEach(line -> cluster.log("  " + scenario + ": " + line));
      report.subscribers().stream().filter(s -> !s.clean()).forEach(s -> cluster.log("  " + scenario + ": " + s));
      if (failure instanceof Exception e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
    }
    report.assertClean(notes.lossAllowed);
  }

  /** Waits until every client of the load that lost its connection since {@code since} has it back. */
  private static void awaitEveryoneBack(HistoryLoad load, long since) {
    await("every disconnected client reconnected").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> load.disruption(since).notReconnected() == 0);
  }

  /** Waits until each client {@code held} (by a node that failed at {@code since}) lost its connection and is back. */
  private static void awaitMovedAndBack(HistoryLoad load, List<String> held, long since) {
    await(held + " moved to another node").atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> load.movedAndBack(held, since));
  }

  /** Starts {@code node} again and waits until all three nodes are ready with 3 members; says how long it took. */
  private static String rejoin(String node) {
    long start = System.nanoTime();
    cluster.start(node);
    cluster.awaitMembers(3, REJOIN);
    return since(start);
  }

  /** The seconds since {@code nanos}, as {@code 12.3s}. */
  private static String since(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", seconds(nanos));
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  /** {@code {"a": 2, "b": 5}} as {@code [a x2, b x5]}. */
  private static String times(Map<String, Integer> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
