package dev.switchboard.bench.fleet;

import java.util.List;

/**
 * CPU over a window with every connection held and nothing published: at its edges, and the nodes' rate in cores
 * over each slice of it, which shows whether the rate was steady (a falling series: the nodes were still busy with
 * what came before, JIT or GC, and the window started too early).
 */
record IdleWindow(Snapshot start, Snapshot end, List<Double> nodeSlices) {

  double seconds() {
    return end.seconds(start);
  }

  double nodeCores() {
    return end.nodeCpuSeconds(start) / seconds();
  }

  double generatorCores() {
    return end.generatorCpuSeconds(start) / seconds();
  }
}
