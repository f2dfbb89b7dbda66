package dev.switchboard.bench.fleet;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's exactly-once count, without sockets: duplicates, missing at held and closed connections, late. */
class FleetTallyTest {
  /** Three connections, numbered from 10 across the fleet; publishes 0 .. 69, the first 2 warm-up (past one word). */
  private final FleetTally tally = new FleetTally(new GeneratorPlan("ws://127.0.0.1:1/ws", 10, 3, 4, 70, 2, 0,
      25_000, 1, 250, 60_000));

  @Test
  void countsEachPublishOncePerConnectionAndSplitsWhatIsMissing() {
    for (int i = 0; i < 2; i++) {
      ready(i);
    }
    assertThat(tally.mark().getInteger("marked")).isEqualTo(2);
    ready(2);
    for (int seq = 0; seq < 70; seq++) {
      deliver(0, seq);
      deliver(2, seq);
      if (seq != 65) {
        deliver(1, seq);
      }
    }
    deliver(0, 64);
    deliver(0, 3);
    tally.closed(1, 4000, "heartbeat_timeout");

    JsonObject report = tally.report();
    assertThat(report.getLong("expected")).isEqualTo(2 * 68);
    assertThat(report.getLong("made")).isEqualTo(2 * 68 - 1);
    assertThat(report.getLong("missingHeld")).isZero();
    assertThat(report.getLong("missingClosed")).isEqualTo(1);
    assertThat(report.getLong("duplicates")).isEqualTo(2);
    assertThat(report.getLong("late")).as("counted deliveries to the connection subscribed after the mark")
        .isEqualTo(68);
    assertThat(report.getInteger("held")).isEqualTo(2);
    assertThat(report.getJsonObject("closes").getInteger("4000")).isEqualTo(1);
    assertThat(report.getJsonArray("got").getLong(65)).isEqualTo(2);
    assertThat(tally.group(2)).isEqualTo("fleet.g0");
  }

  private void ready(int i) {
    tally.opened(i);
    tally.subscribed(i);
    tally.subscribed(i);
  }

  private void deliver(int i, long seq) {
    tally.parsed.seq = seq;
    tally.parsed.intendedNanos = FleetRun.wallMicros();
    tally.delivery(i, System.nanoTime());
  }
}
