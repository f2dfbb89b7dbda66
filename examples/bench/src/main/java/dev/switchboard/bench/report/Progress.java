package dev.switchboard.bench.report;

import java.io.PrintStream;

/** The running commentary on stderr: one line a second while a step runs, and notes between steps. */
public final class Progress {
  private final PrintStream out;

  public Progress(PrintStream out) {
    this.out = out;
  }

  public void line(String label, double sentPerSec, double deliveredPerSec, double p99Ms, long errors,
                   double benchCpu, double serverCpu) {
    out.println(label + " | sent/s " + Fmt.count(sentPerSec) + "  delivered/s " + Fmt.count(deliveredPerSec)
        + "  p99 " + Fmt.ms(p99Ms) + " ms  errors " + errors + " | cpu bench " + Fmt.percent(benchCpu)
        + " server " + Fmt.percent(serverCpu));
  }

  public void note(String text) {
    out.println(text);
  }
}
