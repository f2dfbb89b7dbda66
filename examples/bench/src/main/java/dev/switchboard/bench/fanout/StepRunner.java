package dev.switchboard.bench.fanout;

import dev.switchboard.bench.CpuMeter;
import dev.switchboard.bench.OtherLoad;
import dev.switchboard.bench.report.Progress;
import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * Runs one {@link Step} from the calling thread: starts it, prints a progress line every second, waits after the
 * last send until every expected delivery arrived (or nothing arrived for {@link #QUIET}, or {@link #MAX_DRAIN}
 * passed), and turns the tally into a {@link StepResult}.
 */
final class StepRunner {
  static final Duration QUIET = Duration.ofSeconds(2);
  static final Duration MAX_DRAIN = Duration.ofSeconds(10);
  private static final long POLL_MS = 50;
  private static final long SECOND = 1_000_000_000L;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** What to run: {@code series} names what is measured in the result, {@code number} 0 is a warm-up. */
  record Plan(String series, String label, int run, int number, double rate, Duration settle, Duration duration,
              Duration maxP99) {
  }

  private StepRunner() {
  }

  static StepResult run(Rig rig, Plan plan, CpuMeter cpu, Progress progress) {
    Histogram total = new Histogram(Tally.HIGHEST_NANOS, 3);
    Histogram interval = null;
    Step step = new Step(rig, plan.rate(), plan.settle(), plan.duration());
    CpuMeter.Sample first = cpu.sample();
    OtherLoad otherBefore = OtherLoad.snapshot(cpu.measuredPids());
    Rig.await(rig.engine.call(() -> {
      step.begin();
      return null;
    }), CALL_TIMEOUT);
    CpuMeter.Sample lastSample = first;
    Tally.Counts last = counts(rig);
    long lastPrint = System.nanoTime();
    long lastChange = lastPrint;
    long sentAt = -1;
    Tally.Counts counts;
    while (true) {
      Rig.sleep(POLL_MS);
      counts = counts(rig);
      long now = System.nanoTime();
      if (counts.delivered() != last.delivered() || counts.published() != last.published()) {
        lastChange = now;
      }
      if (now - lastPrint >= SECOND) {
        interval = rig.tally.latency.getIntervalHistogram(interval);
        total.add(interval);
        CpuMeter.Sample sample = cpu.sample();
        double seconds = (now - lastPrint) / 1e9;
        progress.line(plan.label() + (step.settled() ? "" : " (settling)"),
            (counts.published() - last.published()) / seconds, (counts.delivered() - last.delivered()) / seconds,
            interval.getTotalCount() == 0 ? Double.NaN : interval.getValueAtPercentile(99) / 1e6, counts.problems(),
            sample.benchPercentSince(lastSample), sample.serverPercentSince(lastSample));
        lastSample = sample;
        lastPrint = now;
        last = counts;
      }
      if (step.done()) {
        if (sentAt < 0) {
          sentAt = now;
        }
        if (counts.complete() || now - lastChange > QUIET.toNanos() || now - sentAt > MAX_DRAIN.toNanos()) {
          break;
        }
      }
    }
    CpuMeter.Sample end = cpu.sample();
    double other = OtherLoad.snapshot(cpu.measuredPids()).percentSince(otherBefore);
    total.add(rig.tally.latency.getIntervalHistogram(interval));
    ChurnResult churn = Rig.await(rig.engine.call(step::churnResult), CALL_TIMEOUT);
    return result(rig, plan, counts, total, end.benchPercentSince(first), end.serverPercentSince(first), other,
        churn);
  }

  private static StepResult result(Rig rig, Plan plan, Tally.Counts c, Histogram h, double benchCpu,
                                   double serverCpu, double otherCpu, ChurnResult churn) {
    double seconds = (plan.settle().toNanos() + plan.duration().toNanos()) / 1e9;
    double p99 = ms(h, 99);
    boolean passed = c.lost() == 0 && c.problems() == 0 && c.published() > 0
        && p99 < plan.maxP99().toNanos() / 1e6;
    return new StepResult(plan.series(), plan.run(), plan.number(), plan.number() == 0, plan.rate(),
        rig.subscribers.length, rig.topics.count(), rig.publishers.length, rig.payload, seconds, c.published(),
        c.expected(), c.delivered(), c.lost(), c.duplicates(), c.problems(), c.firstProblem(), c.published() / seconds,
        c.delivered() / seconds, ms(h, 50), ms(h, 90), p99, ms(h, 99.9),
        h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6, benchCpu, serverCpu, otherCpu, passed, churn);
  }

  private static Tally.Counts counts(Rig rig) {
    return Rig.await(rig.engine.call(rig.tally::counts), CALL_TIMEOUT);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }
}
