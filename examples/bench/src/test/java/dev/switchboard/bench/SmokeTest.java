package dev.switchboard.bench;

import dev.switchboard.bench.conn.ConnReport;
import dev.switchboard.bench.conn.ConnResult;
import dev.switchboard.bench.conn.ConnScenario;
import dev.switchboard.bench.fanout.ChurnResult;
import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.RunResult;
import dev.switchboard.bench.fanout.Setup;
import dev.switchboard.bench.fanout.StepResult;
import dev.switchboard.bench.fanout.Summary;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.SwitchboardNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-node scenarios end to end against a real node and a real ceiling server, both in this JVM: few
 * connections, a low fixed rate, a second or two each. Checks counts, never timings. Cross-node: CrossSmokeTest.
 */
class SmokeTest {
  private static SwitchboardNode node;
  private static CeilingServer ceiling;

  @BeforeAll
  static void startServers() throws Exception {
    node = SwitchboardNode.start(new BrokerOptions().host("127.0.0.1").port(0).clusterHost("127.0.0.1")
            .clusterPort(freePort()).clusterName("bench-smoke-" + ProcessHandle.current().pid()).instances(1))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    ceiling = CeilingServer.start(null, "127.0.0.1", 0, 1).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (ceiling != null) {
      ceiling.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (node != null) {
      node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyPublishedMessageReachesEverySubscriberOfBothTargets(@TempDir Path out) throws IOException {
    BenchOptions o = options();
    o.subscribers = 20;
    o.publishers = 2;
    o.rate = 50;
    o.duration = Duration.ofSeconds(1);
    o.warmup = Duration.ZERO;
    o.settle = Duration.ofSeconds(1);
    o.out = out;
    o.validate();

    FanoutReport report = Bench.runFanout(o, "smoke test");

    assertThat(report.runs()).extracting(RunResult::target).containsExactly("broker", "ceiling");
    for (RunResult run : report.runs()) {
      assertThat(run.steps()).hasSize(1);
      StepResult step = run.best();
      // Message g is due at start + g / rate; the step sends those due before its end: rate x (settle + duration).
      assertThat(step.published()).as(run.target() + " published").isEqualTo(100);
      assertThat(step.expected()).as(run.target() + " expected").isEqualTo(100 * 20);
      assertThat(step.delivered()).as(run.target() + " delivered").isEqualTo(step.expected());
      assertThat(step.lost()).as(run.target() + " lost").isZero();
      assertThat(step.problems()).as(run.target() + " problems: " + step.firstProblem()).isZero();
    }
    assertThat(report.summaries()).extracting(Summary::target).containsExactly("broker", "ceiling");
    try (Stream<Path> files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".html"));
    }
  }

  @Test
  void manyTopicsDeliverEachMessageToTheSubscribersOfItsTopicOnly(@TempDir Path out) throws IOException {
    BenchOptions o = topics(out);

    FanoutReport report = Bench.runFanout(o, "smoke test");

    assertThat(report.runs()).extracting(RunResult::target).containsExactly("broker");
    RunResult run = report.runs().get(0);
    StepResult step = run.best();
    // 40 messages round-robin over 10 topics: 4 each, to the 2 subscribers of each topic.
    assertThat(step.published()).isEqualTo(40);
    assertThat(step.topics()).isEqualTo(10);
    assertThat(step.expected()).isEqualTo(40 * 2);
    assertThat(step.delivered()).isEqualTo(step.expected());
    assertThat(step.lost()).isZero();
    assertThat(step.problems()).as(step.firstProblem()).isZero();
    assertThat(step.churn()).isNull();
    Setup setup = run.setup();
    assertThat(setup.subscribers()).isEqualTo(20);
    assertThat(setup.topics()).isEqualTo(10);
    assertThat(setup.topicsPerSec()).isPositive();
    try (Stream<Path> files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anyMatch(n -> n.startsWith("topics-") && n.endsWith(".json"))
          .anyMatch(n -> n.startsWith("topics-") && n.endsWith(".html"));
    }
  }

  @Test
  void churnOnOwnAndSharedTopicsLeavesTheSteadySubscribersCountsExact(@TempDir Path out) {
    for (String churnTopics : List.of("own", "shared")) {
      BenchOptions o = topics(out);
      o.churn = 20;
      o.churners = 3;
      o.churnTopics = churnTopics;
      o.validate();

      StepResult step = Bench.runFanout(o, "smoke test").runs().get(0).best();

      assertThat(step.published()).as(churnTopics).isEqualTo(40);
      assertThat(step.delivered()).as(churnTopics).isEqualTo(40 * 2);
      assertThat(step.lost()).as(churnTopics).isZero();
      assertThat(step.problems()).as(churnTopics + ": " + step.firstProblem()).isZero();
      ChurnResult churn = step.churn();
      assertThat(churn.askedPerSec()).isEqualTo(20);
      assertThat(churn.completed()).as(churnTopics + " pairs completed").isPositive()
          .isLessThanOrEqualTo(churn.started());
      assertThat(churn.failed()).isZero();
    }
  }

  @Test
  void aStormAndAnIdleHoldSubscribeEveryConnectionOnBothTargets() {
    for (String scenario : List.of("storm", "idle")) {
      BenchOptions o = options();
      o.scenario = scenario;
      o.connections = 40;
      o.connectRate = 400;
      o.topics = 3;
      o.hold = Duration.ofSeconds(1);
      o.validate();

      ConnReport report = ConnScenario.run(o, "smoke test", new Progress(System.err));

      assertThat(report.runs()).extracting(ConnResult::target).containsExactly("broker", "ceiling");
      for (ConnResult r : report.runs()) {
        assertThat(r.subscribed()).as(scenario + " " + r.target() + " subscribed").isEqualTo(40);
        assertThat(r.failures()).as(scenario + " " + r.target() + ": " + r.firstFailure()).isZero();
        assertThat(r.droppedDuringHold()).isZero();
      }
    }
  }

  @Test
  void optionsNameTheFlagThatIsWrong() {
    BenchOptions o = new BenchOptions();
    o.scenario = "fanout";
    o.targets = List.of(Target.BROKER);
    org.assertj.core.api.Assertions.assertThatThrownBy(o::validate).hasMessageStartingWith("url:");
  }

  /** 20 subscribers on 10 topics, 2 publishers, 20 messages a second for 2 s, against the node of this test. */
  private static BenchOptions topics(Path out) {
    BenchOptions o = options();
    o.scenario = "topics";
    o.subscribers = 20;
    o.topics = 10;
    o.publishers = 2;
    o.rate = 20;
    o.duration = Duration.ofSeconds(1);
    o.warmup = Duration.ZERO;
    o.settle = Duration.ofSeconds(1);
    o.out = out;
    return o.validate();
  }

  /** The fan-out defaults, against the servers of this test, without pinning. */
  private static BenchOptions options() {
    BenchOptions o = new BenchOptions();
    o.scenario = "fanout";
    o.url = "ws://127.0.0.1:" + node.port() + "/ws";
    o.ceilingUrl = ceiling.url();
    o.pin = false;
    return o;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
