package dev.switchboard.bench;

import dev.switchboard.bench.conn.ConnReport;
import dev.switchboard.bench.conn.ConnScenario;
import dev.switchboard.bench.fanout.FanoutReport;
import dev.switchboard.bench.fanout.FanoutScenario;
import dev.switchboard.bench.fleet.FleetGenerator;
import dev.switchboard.bench.fleet.FleetReport;
import dev.switchboard.bench.fleet.FleetScenario;
import dev.switchboard.bench.report.HtmlChart;
import dev.switchboard.bench.report.JsonReport;
import dev.switchboard.bench.report.ConnTable;
import dev.switchboard.bench.report.FleetTable;
import dev.switchboard.bench.report.Progress;
import dev.switchboard.bench.report.Table;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * {@code java -jar switchboard-bench.jar <scenario> [--flag value ...]}: progress on stderr, the table on stdout,
 * JSON and HTML in {@code --out}. Exit codes: 0 done, 1 the benchmark could not run, 2 bad arguments.
 * {@code fleet-generator} (not in the help) is a load generator process the fleet scenario starts.
 */
public final class Bench {
  /** The hidden subcommand of the fleet's generator processes. */
  public static final String FLEET_GENERATOR = "fleet-generator";

  private Bench() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(FLEET_GENERATOR)) {
      System.exit(FleetGenerator.run(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    if (args.length == 0 || Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(BenchOptions.HELP);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(BenchArgs.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    OptionalInt child = Pinning.reexec(args, options);
    if (child.isPresent()) {
      System.exit(child.getAsInt());
      return;
    }
    try {
      run(options, "java -jar switchboard-bench.jar " + String.join(" ", args));
      System.exit(0);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    } catch (BenchException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the scenario the options name and writes its results. */
  public static void run(BenchOptions options, String command) {
    if (options.publishes()) {
      runFanout(options, command);
      return;
    }
    if (options.scenario.equals("fleet")) {
      runFleet(options, command);
      return;
    }
    ConnReport report = ConnScenario.run(options, command, new Progress(System.err));
    ConnTable.print(report, System.out);
    System.out.println("results: " + JsonReport.write(report, file(options, ".json")));
  }

  /** Runs the fanout, topics or cross benchmark, writes its results and returns them. */
  public static FanoutReport runFanout(BenchOptions options, String command) {
    FanoutReport report = FanoutScenario.run(options, command, new Progress(System.err));
    Table.print(report, System.out);
    Path json = JsonReport.write(report, file(options, ".json"));
    Path html = HtmlChart.write(report, file(options, ".html"));
    System.out.println("results: " + json + "\nchart:   " + html);
    return report;
  }

  /** Runs the fleet scenario, writes its table and JSON, and returns it. */
  public static FleetReport runFleet(BenchOptions options, String command) {
    FleetReport report = FleetScenario.run(options, command, new Progress(System.err));
    FleetTable.print(report, System.out);
    System.out.println("results: " + JsonReport.write(report, file(options, ".json")));
    return report;
  }

  private static Path file(BenchOptions options, String suffix) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return options.out.resolve(options.scenario + "-" + stamp + suffix);
  }
}
