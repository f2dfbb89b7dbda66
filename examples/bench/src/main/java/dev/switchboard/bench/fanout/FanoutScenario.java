package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.Machine;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.node.Nodes;
import dev.switchboard.bench.report.Progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fanout, topics and cross benchmarks: for each run, for each {@link Series}, its servers (given or freshly
 * started) and a {@link TargetRun} on them; then the medians and, with two series, the ratio of the first to the
 * second.
 */
public final class FanoutScenario {
  private FanoutScenario() {
  }

  public static FanoutReport run(BenchOptions o, String command, Progress progress) {
    List<Series> series = Series.of(o);
    List<RunResult> runs = new ArrayList<>();
    for (int run = 1; run <= o.runs; run++) {
      for (Series s : series) {
        progress.note(String.format("== %s, run %d of %d ==", s.label().equals(o.scenario) ? s.label()
            : o.scenario + " " + s.label(), run, o.runs));
        try (Nodes nodes = s.servers().apply(run)) {
          progress.note(s.label() + " at " + nodes.describe());
          runs.add(new TargetRun(o, s, run, nodes, progress).execute());
        }
      }
    }
    List<Summary> summaries = new ArrayList<>();
    for (Series s : series) {
      summaries.add(Summary.of(s.label(), runs));
    }
    String ratioLabel = null;
    double ratio = Double.NaN;
    if (summaries.size() == 2) {
      ratioLabel = summaries.get(0).target() + "/" + summaries.get(1).target();
      ratio = summaries.get(0).deliveredPerSec() / summaries.get(1).deliveredPerSec();
    }
    return new FanoutReport(command, settings(o), Machine.describe(o), runs, summaries, ratioLabel, ratio);
  }

  private static Map<String, Object> settings(BenchOptions o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenario", o.scenario);
    s.put("subscribers", o.subscribers);
    s.put("topics", o.topicCount());
    s.put("publishers", o.publishers);
    s.put("rate", o.findMax() ? "max" : o.rate);
    s.put("payload", o.payload);
    s.put("durationMs", o.duration.toMillis());
    s.put("warmupMs", o.warmup.toMillis());
    s.put("settleMs", o.settle.toMillis());
    s.put("targets", Series.of(o).stream().map(Series::label).toList());
    s.put("url", o.url != null ? o.url : o.startNode ? "started by the tool" : null);
    if (o.scenario.equals("cross")) {
      s.put("publishUrl", o.publishUrl != null ? o.publishUrl : o.startNode ? "started by the tool" : null);
      s.put("split", o.split);
      s.put("compare", o.compare);
      s.put("secondNodeCpus", o.secondNodeCpus());
    }
    if (o.churn > 0) {
      s.put("churn", o.churn);
      s.put("churners", o.churners);
      s.put("churnTopics", o.churnTopics);
    }
    if (o.scenario.equals("fanout") && o.targets().contains(Target.CEILING)) {
      s.put("ceilingUrl", o.ceilingUrl != null ? o.ceilingUrl : "started by the tool");
      s.put("ceilingWrite", o.ceilingWrite);
    }
    s.put("instances", o.instances);
    s.put("nodeJvm", String.join(" ", o.nodeJvm));
    s.put("runs", o.runs);
    s.put("maxP99Ms", o.maxP99.toMillis());
    s.put("topic", o.topicName());
    return s;
  }
}
