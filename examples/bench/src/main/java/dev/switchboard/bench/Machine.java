package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a result was measured: CPUs, CPU model, JVM, OS, and how load and servers were pinned. */
public record Machine(int cpus, String cpuModel, String java, String os, boolean pinned, String loadCpus,
                      String nodeCpus, long maxOpenFiles) {

  public static Machine describe(BenchOptions o) {
    boolean pinned = o.pin && Pinning.available();
    return new Machine(Pinning.onlineCpus(), readCpuModel(), System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"), System.getProperty("os.name") + " "
        + System.getProperty("os.version") + " " + System.getProperty("os.arch"), pinned,
        pinned ? o.loadCpus : "any", pinned ? o.nodeCpus : "any", Limits.maxOpenFiles());
  }

  private static String readCpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: unknown.
    }
    return "unknown";
  }
}
