package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Median;

import java.util.Comparator;
import java.util.List;

/**
 * The medians over the runs of one target: of the delivered rate of each run's counting step, and the latencies and
 * CPU of the median run (the run whose delivered rate is the median; the lower one for an even count).
 */
public record Summary(String target, int runs, int counted, double deliveredPerSec, double sentPerSec, double p50Ms,
                      double p90Ms, double p99Ms, double p999Ms, double maxMs, double benchCpu, double serverCpu,
                      double otherCpu, int medianRun, boolean allPassed) {

  static Summary of(String target, List<RunResult> runs) {
    List<StepResult> counted = runs.stream().filter(r -> r.target().equals(target) && r.best() != null)
        .map(RunResult::best).sorted(Comparator.comparingDouble(StepResult::deliveredPerSec)).toList();
    int total = (int) runs.stream().filter(r -> r.target().equals(target)).count();
    if (counted.isEmpty()) {
      return new Summary(target, total, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, false);
    }
    StepResult m = counted.get((counted.size() - 1) / 2);
    boolean allPassed = counted.size() == total && counted.stream().allMatch(StepResult::passed);
    return new Summary(target, total, counted.size(), m.deliveredPerSec(), m.sentPerSec(), m.p50Ms(), m.p90Ms(),
        m.p99Ms(), m.p999Ms(), m.maxMs(), Median.of(counted.stream().mapToDouble(StepResult::benchCpu).toArray()),
        Median.of(counted.stream().mapToDouble(StepResult::serverCpu).toArray()),
        Median.of(counted.stream().mapToDouble(StepResult::otherCpu).toArray()), m.run(), allPassed);
  }

}
