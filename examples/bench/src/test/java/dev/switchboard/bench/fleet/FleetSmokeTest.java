package dev.switchboard.bench.fleet;

import dev.switchboard.bench.Bench;
import dev.switchboard.bench.BenchArgs;
import dev.switchboard.bench.BenchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fleet scenario end to end with real processes, as a user runs it: two nodes from the launcher jar (built by
 * {@code mvn package}; skipped, saying so, without it), two generator processes of 100 connections each, one warm-up
 * and three counted publishes. Checks counts and members, never timings.
 */
class FleetSmokeTest {
  private static final Path BROKER_JAR = Path.of("../../broker/target/switchboard-broker.jar");
  /** Small, quick-starting JVMs: the run is about counts, not speed. */
  private static final String SMALL_JVM = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  @Test
  void everyCountedPublishReachesEveryConnectionOnBothNodesExactlyOnce(@TempDir Path out) throws IOException {
    assumeTrue(Files.isRegularFile(BROKER_JAR), "no " + BROKER_JAR.toAbsolutePath().normalize() + ": build it first"
        + " (mvn package -DskipTests -pl examples/bench -am)");
    BenchOptions o = BenchOptions.parse(BenchArgs.parse(new String[] {"fleet", "--nodes", "2", "--connections",
        "200", "--groups", "4", "--warmup", "1", "--publishes", "3", "--interval", "500ms", "--idle", "1s",
        "--settle", "500ms", "--max-wait", "20s", "--broker-jar", BROKER_JAR.toString(), "--node-jvm", SMALL_JVM,
        "--generator-jvm", SMALL_JVM, "--out", out.toString()}));

    FleetReport report = Bench.runFleet(o, "fleet smoke test");

    FleetReport.Connections c = report.connections();
    assertThat(c.marked()).as("subscribed when publishing started").isEqualTo(200);
    assertThat(c.heldAtEnd()).as("held at the end").isEqualTo(200);
    assertThat(c.closes()).as("closes by code").isEmpty();
    FleetReport.Delivery d = report.delivery();
    assertThat(d.expected()).isEqualTo(3 * 200);
    assertThat(d.made()).as("made; problems: " + report.problems()).isEqualTo(d.expected());
    assertThat(d.missingHeld() + d.missingClosed()).isZero();
    assertThat(d.duplicates()).isZero();
    assertThat(d.publishFailures()).isZero();
    assertThat(d.exactlyOnce()).isTrue();
    assertThat(report.nodes()).hasSize(2).allSatisfy(n -> assertThat(n.members()).isEqualTo(2));
    assertThat(report.nodes()).extracting(FleetReport.NodeEnd::connections).containsExactly(100, 100);
    assertThat(report.publishes()).extracting(FleetReport.PublishRow::received).containsOnly(200L);
    assertThat(report.cpu().nodeDelivered()).as("frames the nodes wrote in the counted window")
        .isGreaterThanOrEqualTo(d.made());
    assertThat(report.passed()).isTrue();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("fleet-")
          && n.endsWith(".json"));
    }
  }
}
