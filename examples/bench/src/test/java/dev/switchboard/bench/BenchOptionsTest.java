package dev.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenario defaults, and errors that name the flag that is wrong. */
class BenchOptionsTest {

  private static BenchOptions parse(String... args) {
    return BenchOptions.parse(BenchArgs.parse(args));
  }

  @Test
  void topicsDefaultToOnePerSubscriberOnTheBrokerOnly() {
    BenchOptions o = parse("topics", "--url", "ws://127.0.0.1:1/ws", "--subscribers", "3");
    assertThat(o.topicNames()).containsExactly("bench.topics.0", "bench.topics.1", "bench.topics.2");
    assertThat(o.targets()).containsExactly(Target.BROKER);
    assertThat(o.churnTopicNames()).hasSize(BenchOptions.DEFAULT_CHURNERS).first().isEqualTo("bench.topics.churn.0");
    assertThat(parse("fanout", "--start-node").topicNames()).containsExactly("bench.fanout");
    assertThat(parse("fanout", "--start-node").targets()).containsExactly(Target.BROKER, Target.CEILING);
  }

  @Test
  void crossTakesTwoUrlsOrStartsTheNodes() {
    assertThat(parse("cross", "--url", "ws://127.0.0.1:1/ws", "--publish-url", "ws://127.0.0.1:2/ws").targets())
        .containsExactly(Target.BROKER);
    assertThat(parse("cross", "--start-node", "--nodes", "2", "--split", "--compare").split).isTrue();
  }

  @Test
  void fleetDefaultsAreTheHandMadeRunsAndShareEveryCpu() {
    BenchOptions o = parse("fleet");
    assertThat(o.nodes).isEqualTo(6);
    assertThat(o.connections).isEqualTo(100_000);
    assertThat(o.fleet.groups).isEqualTo(100);
    assertThat(o.fleet.warmup).isEqualTo(5);
    assertThat(o.fleet.publishes).isEqualTo(20);
    assertThat(o.fleet.interval).isEqualTo(Duration.ofSeconds(4));
    assertThat(o.nodeJvm).containsExactly("-Xms1g", "-Xmx1g", "-Xmn64m");
    assertThat(o.instances).as("the launcher's default").isZero();
    assertThat(o.pin).isFalse();
    assertThat(Limits.neededFiles(o)).isEqualTo(16_667 + Limits.SPARE_FILES);
    assertThat(parse("fleet", "--node-cpus", "0").pin).isTrue();
    assertThat(parse("fleet", "--warmup", "0", "--interval", "500ms").fleet.interval).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void errorsNameTheFlag() {
    List<List<String>> cases = List.of(
        List.of("publish-url:", "cross", "--url", "ws://127.0.0.1:1/ws"),
        List.of("url:", "cross", "--publish-url", "ws://127.0.0.1:1/ws"),
        List.of("publish-url:", "cross", "--url", "ws://a:1/ws", "--publish-url", "ws://a:1/ws"),
        List.of("nodes:", "cross", "--start-node", "--nodes", "3"),
        List.of("nodes:", "topics", "--start-node", "--nodes", "2"),
        List.of("split:", "fanout", "--start-node", "--split"),
        List.of("target:", "topics", "--start-node", "--target", "both"),
        List.of("target:", "cross", "--start-node", "--target", "ceiling"),
        List.of("topics:", "topics", "--start-node", "--subscribers", "5", "--topics", "6"),
        List.of("topics:", "fanout", "--start-node", "--topics", "2"),
        List.of("churn:", "fanout", "--start-node", "--churn", "10"),
        List.of("churners:", "topics", "--start-node", "--churn", "10", "--churners", "0"),
        List.of("churn-topics:", "topics", "--start-node", "--churn-topics", "mine"),
        List.of("scenario:", "churn", "--start-node"),
        List.of("warmup:", "fleet", "--warmup", "5s"),
        List.of("nodes:", "fleet", "--nodes", "0"),
        List.of("connections:", "fleet", "--nodes", "3", "--connections", "2"),
        List.of("groups:", "fleet", "--groups", "0"),
        List.of("publishes:", "fleet", "--publishes", "0"),
        List.of("url:", "fleet", "--url", "ws://127.0.0.1:1/ws"),
        List.of("unknown flag --groups", "idle", "--start-node", "--groups", "3"));
    for (List<String> c : cases) {
      assertThatThrownBy(() -> parse(c.subList(1, c.size()).toArray(String[]::new))).as(String.join(" ", c))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(c.get(0));
    }
  }
}
