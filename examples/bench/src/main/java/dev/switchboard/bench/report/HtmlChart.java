package dev.switchboard.bench.report;

import dev.switchboard.bench.Machine;
import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.RunResult;
import dev.switchboard.bench.fanout.Setup;
import dev.switchboard.bench.fanout.StepResult;
import dev.switchboard.bench.fanout.Summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The chart file: one self-contained HTML page (inline SVG, no script) with delivered against offered rate for every
 * run, the latency percentiles of each target's median run, the summary, how long subscribing took (topics, cross)
 * and every step (with its churn, if any).
 */
public final class HtmlChart {
  private static final Map<String, String> COLORS = Map.of("broker", "#1f77b4", "ceiling", "#ff7f0e",
      "cross", "#2ca02c", "split", "#9467bd", "single", "#1f77b4");
  private static final List<String> HEADERS = List.of("target", "run", "step", "offered msg/s", "publish/s",
      "delivered/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "lost", "problems", "bench cpu",
      "server cpu", "other cpu", "churn pairs/s", "churn p99 ms", "result");
  private static final String X_LABEL = "offered deliveries/s (publish rate x subscribers per topic)";

  private HtmlChart() {
  }

  public static Path write(FanoutReport report, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, page(report), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String page(FanoutReport report) {
    Map<String, Object> s = report.settings();
    Machine m = report.machine();
    String title = "Switchboard " + s.get("scenario") + " benchmark";
    StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        + "<title>" + Html.escape(title) + "</title><style>body{font-family:sans-serif;margin:2em}"
        + "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;"
        + "text-align:right}</style></head><body>\n<h1>" + Html.escape(title) + "</h1>\n");
    sb.append("<p>").append(Html.escape(String.format("%s, payload %s B, rate %s, steps of %s ms, %s run(s)."
            + " Machine: %d CPUs (%s), %s; load generator on CPU %s, servers on CPU %s.", Table.title(s),
        s.get("payload"), s.get("rate"), s.get("durationMs"), s.get("runs"), m.cpus(), m.cpuModel(), m.java(),
        m.loadCpus(), m.nodeCpus()))).append("</p>\n");
    sb.append("<p><code>").append(Html.escape(report.command())).append("</code></p>\n");
    if (!Double.isNaN(report.ratio())) {
      sb.append("<p><b>").append(Html.escape(report.ratioLabel())).append(" (median delivered/s): ")
          .append(Fmt.ratio(report.ratio())).append("</b></p>\n");
    }
    sb.append("<h2>Summary (medians over runs)</h2>\n<table>\n").append(Html.row("th", List.of("target",
        "counted runs", "publish/s", "delivered/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "bench cpu",
        "server cpu", "other cpu")));
    for (Summary sum : report.summaries()) {
      sb.append(Html.row("td", List.of(sum.target(), sum.counted() + "/" + sum.runs(), Fmt.count(sum.sentPerSec()),
          Fmt.count(sum.deliveredPerSec()), Fmt.ms(sum.p50Ms()), Fmt.ms(sum.p90Ms()), Fmt.ms(sum.p99Ms()),
          Fmt.ms(sum.p999Ms()), Fmt.ms(sum.maxMs()), Fmt.percent(sum.benchCpu()), Fmt.percent(sum.serverCpu()),
          Fmt.percent(sum.otherCpu()))));
    }
    sb.append("</table>\n");
    if (!"fanout".equals(s.get("scenario"))) {
      setups(report, sb);
    }
    sb.append("<h2>Delivered against offered deliveries per second</h2>\n")
        .append("<p>Every run; filled: step passed, hollow: failed.</p>\n").append(throughput(report).svg());
    sb.append("<h2>Latency by offered rate (median run of each target)</h2>\n")
        .append("<p>From the intended send time to the read; solid p50, dashed p90, dotted p99, dash-dot p99.9."
            + "</p>\n").append(latency(report).svg());
    sb.append("<h2>Every step</h2>\n<table>\n").append(Html.row("th", HEADERS));
    for (RunResult r : report.runs()) {
      for (StepResult st : r.steps()) {
        sb.append(Html.row("td", List.of(st.target(), String.valueOf(st.run()), String.valueOf(st.step()),
            Fmt.count(st.offeredRate()), Fmt.count(st.sentPerSec()), Fmt.count(st.deliveredPerSec()),
            Fmt.ms(st.p50Ms()), Fmt.ms(st.p90Ms()), Fmt.ms(st.p99Ms()), Fmt.ms(st.p999Ms()), Fmt.ms(st.maxMs()),
            String.valueOf(st.lost()), String.valueOf(st.problems()), Fmt.percent(st.benchCpu()),
            Fmt.percent(st.serverCpu()), Fmt.percent(st.otherCpu()),
            st.churn() == null ? "-" : Fmt.count(st.churn().perSec()),
            st.churn() == null ? "-" : Fmt.ms(st.churn().p99Ms()),
            (st.passed() ? "pass" : "fail") + (st == r.best() ? " (counted)" : ""))));
      }
    }
    return sb.append("</table>\n</body></html>\n").toString();
  }

  /** Subscribing time of each run: the cost of registering the topics in the cluster. */
  private static void setups(FanoutReport report, StringBuilder sb) {
    sb.append("<h2>Subscribing</h2>\n<p>From the first connection until every subscriber was subscribed; then until"
        + " every subscriber had received a probe published on the publishers' node.</p>\n<table>\n")
        .append(Html.row("th", List.of("target", "run", "subscriptions", "topics", "subscribed in s", "topics/s",
            "subscriptions/s", "then delivering in s")));
    for (RunResult r : report.runs()) {
      Setup st = r.setup();
      if (st != null) {
        sb.append(Html.row("td", List.of(r.target(), String.valueOf(r.run()), String.valueOf(st.subscribers()),
            String.valueOf(st.topics()), String.format(Locale.ROOT, "%.2f", st.subscribeSeconds()),
            Fmt.count(st.topicsPerSec()), Fmt.count(st.subscriptionsPerSec()),
            String.format(Locale.ROOT, "%.2f", st.readySeconds()))));
      }
    }
    sb.append("</table>\n");
  }

  private static SvgPlot throughput(FanoutReport report) {
    SvgPlot plot = new SvgPlot(X_LABEL, "delivered/s");
    for (RunResult r : report.runs()) {
      plot.add(new SvgPlot.Series(r.target() + " run " + r.run(), COLORS.getOrDefault(r.target(), "#555"),
          r.run() == 1 ? "" : "4,2", points(r, StepResult::deliveredPerSec)));
    }
    return plot;
  }

  private static SvgPlot latency(FanoutReport report) {
    SvgPlot plot = new SvgPlot(X_LABEL, "latency ms")
        .limit(((Number) report.settings().get("maxP99Ms")).doubleValue(), "p99 limit");
    String[] dashes = {"", "6,3", "2,2", "8,3,2,3"};
    List<ToDoubleFunction<StepResult>> percentiles = List.of(StepResult::p50Ms, StepResult::p90Ms,
        StepResult::p99Ms, StepResult::p999Ms);
    String[] names = {"p50", "p90", "p99", "p99.9"};
    for (Summary sum : report.summaries()) {
      report.runs().stream().filter(r -> r.target().equals(sum.target()) && r.run() == sum.medianRun()).findFirst()
          .ifPresent(r -> {
            for (int i = 0; i < names.length; i++) {
              plot.add(new SvgPlot.Series(r.target() + " " + names[i], COLORS.getOrDefault(r.target(), "#555"),
                  dashes[i], points(r, percentiles.get(i))));
            }
          });
    }
    return plot;
  }

  private static List<SvgPlot.Point> points(RunResult r, ToDoubleFunction<StepResult> y) {
    List<SvgPlot.Point> points = new ArrayList<>();
    r.steps().stream().sorted(Comparator.comparingDouble(StepResult::offeredRate)).forEach(st -> points.add(
        new SvgPlot.Point(st.offeredDeliveries(), y.applyAsDouble(st), st.passed())));
    return points;
  }
}
