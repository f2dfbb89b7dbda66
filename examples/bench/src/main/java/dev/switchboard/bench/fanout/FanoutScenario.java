package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.Machine;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.node.Endpoint;
import dev.switchboard.bench.node.Servers;
import dev.switchboard.bench.report.Progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fan-out benchmark: for each run, for each target, a server (given or freshly started) and a {@link TargetRun}
 * against it; then the medians and the broker/ceiling ratio.
 */
public final class FanoutScenario {
  private FanoutScenario() {
  }

  public static FanoutReport run(BenchOptions o, String command, Progress progress) {
    List<RunResult> runs = new ArrayList<>();
    for (int run = 1; run <= o.runs; run++) {
      for (Target target : o.targets) {
        progress.note(String.format("== %s, run %d of %d ==", target.label(), run, o.runs));
        try (Endpoint endpoint = target == Target.BROKER ? Servers.broker(o, run) : Servers.ceiling(o)) {
          progress.note(target.label() + " at " + endpoint.url() + (endpoint.pid() > 0 ? " (pid " + endpoint.pid()
              + ")" : ""));
          runs.add(new TargetRun(o, target, run, endpoint, progress).execute());
        }
      }
    }
    List<Summary> summaries = new ArrayList<>();
    for (Target target : o.targets) {
      summaries.add(Summary.of(target.label(), runs));
    }
    double ratio = Double.NaN;
    if (o.targets.contains(Target.BROKER) && o.targets.contains(Target.CEILING)) {
      ratio = find(summaries, Target.BROKER).deliveredPerSec() / find(summaries, Target.CEILING).deliveredPerSec();
    }
    return new FanoutReport(command, settings(o), Machine.describe(o), runs, summaries, ratio);
  }

  private static Summary find(List<Summary> summaries, Target target) {
    return summaries.stream().filter(s -> s.target().equals(target.label())).findFirst().orElseThrow();
  }

  private static Map<String, Object> settings(BenchOptions o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", o.scenario);
    s.put("subscribers", o.subscribers);
    s.put("publishers", o.publishers);
    s.put("rate", o.findMax() ? "max" : o.rate);
    s.put("payload", o.payload);
    s.put("durationMs", o.duration.toMillis());
    s.put("warmupMs", o.warmup.toMillis());
    s.put("settleMs", o.settle.toMillis());
    s.put("targets", o.targets.stream().map(Target::label).toList());
    s.put("url", o.url != null ? o.url : o.startNode ? "started by the tool" : null);
    s.put("ceilingUrl", o.ceilingUrl != null ? o.ceilingUrl : "started by the tool");
    s.put("ceilingWrite", o.ceilingWrite);
    s.put("instances", o.instances);
    s.put("nodeJvm", String.join(" ", o.nodeJvm));
    s.put("runs", o.runs);
    s.put("maxP99Ms", o.maxP99.toMillis());
    s.put("topic", o.topic);
    return s;
  }
}
