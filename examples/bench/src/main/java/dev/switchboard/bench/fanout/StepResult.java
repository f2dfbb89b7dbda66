package dev.switchboard.bench.fanout;

/**
 * One bounded measurement at one publish rate. {@code target}: the label of what was measured (broker, ceiling,
 * cross, split, single). Rates are per second over the publishing time; latencies in milliseconds from the intended
 * send time; CPU in percent of one core (server: all the servers of the run, NaN when unknown; other: every other
 * process on the machine). {@code passed}: nothing lost, no error, no connection lost, p99 under the limit.
 * {@code churn}: null without churn; churn does not decide {@code passed}.
 */
public record StepResult(String target, int run, int step, boolean warmup, double offeredRate, int subscribers,
                         int topics, int publishers, int payload, double seconds, long published, long expected,
                         long delivered, long lost, long duplicates, long problems, String firstProblem,
                         double sentPerSec, double deliveredPerSec, double p50Ms, double p90Ms, double p99Ms,
                         double p999Ms, double maxMs, double benchCpu, double serverCpu, double otherCpu,
                         boolean passed, ChurnResult churn) {

  /** Deliveries a second the offered rate asks for: each message goes to the subscribers of its topic. */
  public double offeredDeliveries() {
    return offeredRate * subscribers / topics;
  }
}
