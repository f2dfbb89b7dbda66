package dev.switchboard.bench;

import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.RunResult;
import dev.switchboard.bench.fanout.StepResult;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.SwitchboardNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cross-node scenario end to end on two real nodes clustered in this JVM (started from the test thread, the
 * second joining the first): publishers on node 1, subscribers on node 2, then split between both, with the
 * single-node comparison. Few connections, a low fixed rate; checks counts, never timings.
 */
class CrossSmokeTest {
  private static final Duration MEMBERS_TIMEOUT = Duration.ofSeconds(60);
  private static final List<SwitchboardNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    String name = "bench-cross-smoke-" + ProcessHandle.current().pid();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int clusterPort = freePort();
      BrokerOptions options = new BrokerOptions().host("127.0.0.1").port(0).clusterHost("127.0.0.1")
          .clusterPort(clusterPort).clusterName(name).instances(1).join(List.copyOf(members));
      members.add("127.0.0.1:" + clusterPort);
      nodes.add(SwitchboardNode.start(options).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS));
    }
    org.awaitility.Awaitility.await("both nodes see each other").atMost(MEMBERS_TIMEOUT)
        .until(() -> nodes.stream().allMatch(n -> n.clusterManager().getNodes().size() == 2));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyMessagePublishedOnOneNodeReachesEverySubscriberOnTheOther(@TempDir Path out) {
    FanoutReport report = Bench.runFanout(options(out), "smoke test");

    assertThat(report.runs()).extracting(RunResult::target).containsExactly("cross");
    assertCounts(report.runs().get(0));
    assertThat(report.runs().get(0).setup().readySeconds()).isNotNegative();
    assertThat(report.ratioLabel()).isNull();
  }

  @Test
  void splitSubscribersGetEveryMessageAndAreComparedWithOneNode(@TempDir Path out) {
    BenchOptions o = options(out);
    o.split = true;
    o.compare = true;
    o.validate();

    FanoutReport report = Bench.runFanout(o, "smoke test");

    assertThat(report.runs()).extracting(RunResult::target).containsExactly("split", "single");
    report.runs().forEach(CrossSmokeTest::assertCounts);
    assertThat(report.ratioLabel()).isEqualTo("split/single");
    assertThat(report.ratio()).isPositive();
  }

  /** 20 messages a second for 2 s from 2 publishers: 40, each to all 20 subscribers. */
  private static void assertCounts(RunResult run) {
    StepResult step = run.best();
    assertThat(step.published()).as(run.target() + " published").isEqualTo(40);
    assertThat(step.expected()).as(run.target() + " expected").isEqualTo(40 * 20);
    assertThat(step.delivered()).as(run.target() + " delivered").isEqualTo(step.expected());
    assertThat(step.lost()).as(run.target() + " lost").isZero();
    assertThat(step.problems()).as(run.target() + " problems: " + step.firstProblem()).isZero();
  }

  /** Publishers on node 1, subscribers on node 2, no pinning. */
  private static BenchOptions options(Path out) {
    BenchOptions o = new BenchOptions();
    o.scenario = "cross";
    o.publishUrl = "ws://127.0.0.1:" + nodes.get(0).port() + "/ws";
    o.url = "ws://127.0.0.1:" + nodes.get(1).port() + "/ws";
    o.subscribers = 20;
    o.publishers = 2;
    o.rate = 20;
    o.duration = Duration.ofSeconds(1);
    o.warmup = Duration.ZERO;
    o.settle = Duration.ofSeconds(1);
    o.pin = false;
    o.out = out;
    return o.validate();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
