package dev.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The tool raises its own open-file limit when a run needs more connections than it allows, or says why not. */
class LimitsTest {
  static final int LOW_LIMIT = 1024;
  static final int CONNECTIONS = 1500;
  static final int NEEDED = CONNECTIONS + Limits.SPARE_FILES;

  @Test
  void neededFilesCountEveryConnectionOfTheScenario() {
    BenchOptions storm = new BenchOptions();
    storm.scenario = "storm";
    storm.connections = 30_000;
    assertThat(Limits.neededFiles(storm)).isEqualTo(30_000 + Limits.SPARE_FILES);

    BenchOptions topics = new BenchOptions();
    topics.scenario = "topics";
    topics.subscribers = 10_000;
    topics.publishers = 2;
    topics.churn = 100;
    topics.churners = 10;
    assertThat(Limits.neededFiles(topics)).isEqualTo(10_012 + Limits.SPARE_FILES);
  }

  @Test
  void nothingIsRaisedWhenTheLimitIsHighEnough() {
    assertThat(Limits.raisePrefix(10)).isEmpty();
  }

  @Test
  void aRunPastTheLimitRaisesItWhereItMayAndOtherwiseSaysWhyBeforeConnecting(@TempDir Path out) throws Exception {
    Path prlimit = Pinning.findTool("prlimit");
    assumeTrue(prlimit != null, "no prlimit here");
    // The tool starts with both limits lowered below what the storm needs (lowering needs no privilege). Where this
    // process may raise the hard limit (root with CAP_SYS_RESOURCE), the tool raises it, says so and connects every
    // client to a ceiling server it starts, which inherits the limit; elsewhere it says why it cannot, and fails
    // with the command to run before opening a single connection.
    boolean mayRaise = new ProcessBuilder(prlimit.toString(), "--nofile=" + LOW_LIMIT + ":" + LOW_LIMIT,
        prlimit.toString(), "--nofile=" + NEEDED + ":" + NEEDED, "true")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    List<String> command = new ArrayList<>(List.of(prlimit.toString(), "--nofile=" + LOW_LIMIT + ":" + LOW_LIMIT,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Bench.class.getName(),
        "storm", "--target", "ceiling", "--connections", String.valueOf(CONNECTIONS), "--no-pin",
        "--out", out.toString()));
    Path log = out.resolve("bench.log");
    Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(bench.waitFor(120, TimeUnit.SECONDS)).as("the run ends within 2 minutes").isTrue();
    } finally {
      bench.destroyForcibly();
    }
    String output = read(log);
    if (mayRaise) {
      assertThat(bench.exitValue()).as(output).isZero();
      assertThat(output).contains("raising the open-file limit from " + LOW_LIMIT + " to " + NEEDED);
      assertThat(output).containsPattern("ceiling 1\\s+" + CONNECTIONS + "\\s+0\\s");
    } else {
      assertThat(bench.exitValue()).as(output).isEqualTo(1);
      assertThat(output).contains(NEEDED + " open files needed, the limit is " + LOW_LIMIT
          + " and this process may not raise it");
      assertThat(output).contains("ulimit -n").doesNotContain("started 1");
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
