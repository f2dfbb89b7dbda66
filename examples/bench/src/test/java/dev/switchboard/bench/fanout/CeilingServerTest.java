package dev.switchboard.bench.fanout;

import dev.switchboard.bench.CeilingServer;
import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ceiling server reaches every listener on every event loop, and never sends a publisher its own frames. */
class CeilingServerTest {

  @ParameterizedTest
  @CsvSource({"1, frames", "2, frames", "2, bytes", "1, batch", "2, batch"})
  void broadcastsEveryFrameToEveryListenerOnce(int instances, String write) throws Exception {
    CeilingServer server = CeilingServer.start(null, "127.0.0.1", 0, instances, write).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (WsEngine engine = WsEngine.start("ceiling-test")) {
      Rig rig = Rig.connect(engine, Target.CEILING, Layout.single(URI.create(server.url()), List.of("t"), null), 10,
          2, 64, SourceAddresses.plan(12, 25_000, InetAddress.getLoopbackAddress()), Duration.ofSeconds(20));
      StepResult r = StepRunner.run(rig, new StepRunner.Plan("ceiling", "test", 1, 1, 40, Duration.ZERO,
          Duration.ofSeconds(1), Duration.ofSeconds(10)), new CpuMeter(0),
          new Progress(new PrintStream(OutputStream.nullOutputStream())));
      rig.close();
      assertThat(r.published()).isEqualTo(40);
      assertThat(r.delivered()).isEqualTo(40 * 10);
      assertThat(r.lost()).isZero();
      assertThat(r.problems()).as(r.firstProblem()).isZero();
    } finally {
      server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
