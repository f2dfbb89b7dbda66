package dev.switchboard.bench.conn;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.Median;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.Map;

/** Everything a connection scenario found: settings, machine, every run, and the medians per target. */
public record ConnReport(String command, Map<String, Object> settings, Machine machine, List<ConnResult> runs,
                         List<TargetMedians> medians) {

  /** Medians over the runs of one target. */
  public record TargetMedians(String target, int runs, double seconds, double subscribedPerSec, double subscribedP50Ms,
                       double subscribedP99Ms, int failures, double rssPerConnection, double heapPerConnection,
                       double benchCpu, double serverCpu) {

    static TargetMedians of(String target, List<ConnResult> all) {
      List<ConnResult> r = all.stream().filter(c -> c.target().equals(target)).toList();
      return new TargetMedians(target, r.size(), m(r, ConnResult::seconds), m(r, ConnResult::subscribedPerSec),
          m(r, ConnResult::subscribedP50Ms), m(r, ConnResult::subscribedP99Ms),
          r.stream().mapToInt(ConnResult::failures).sum(), m(r, ConnResult::rssPerConnection),
          m(r, ConnResult::heapPerConnection), m(r, ConnResult::benchCpu), m(r, ConnResult::serverCpu));
    }

    private static double m(List<ConnResult> r, ToDoubleFunction<ConnResult> f) {
      return Median.of(r.stream().mapToDouble(f).toArray());
    }
  }
}
