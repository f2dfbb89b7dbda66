package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * CPU pinning with {@code taskset}: servers started by the tool run on the node CPUs, and the tool re-runs itself on
 * the load CPUs, so that the two never compete for a core and the measurement says which one ran out.
 */
public final class Pinning {
  static final String PINNED_ENV = "SWITCHBOARD_BENCH_PINNED";
  private static final Path TASKSET = findTaskset();

  private Pinning() {
  }

  /** Whether pinning is possible here: taskset exists and there are at least two CPUs. */
  public static boolean available() {
    return TASKSET != null && onlineCpus() >= 2;
  }

  /** The command prefix that runs a program on {@code cpus}, or nothing when pinning is off or impossible. */
  public static List<String> prefix(boolean pin, String cpus) {
    return pin && available() ? List.of(TASKSET.toString(), "-c", cpus) : List.of();
  }

  /**
   * Runs this same command again under {@code taskset -c cpus}, waits for it and returns its exit code; empty when
   * this process is the pinned one already, or pinning is off or impossible (then says why).
   */
  static OptionalInt reexec(String[] args, boolean pin, String cpus) {
    if (!pin || System.getenv(PINNED_ENV) != null || cpus.equals(allowedCpus())) {
      return OptionalInt.empty();
    }
    if (!available()) {
      System.err.println("bench: not pinning to CPUs (" + (TASKSET == null ? "no taskset" : "fewer than 2 CPUs")
          + "); the load generator and the server share the CPUs");
      return OptionalInt.empty();
    }
    List<String> command = new ArrayList<>(prefix(true, cpus));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Bench.class.getName());
    command.addAll(List.of(args));
    System.err.println("bench: running the load generator on CPU " + cpus + " (taskset -c " + cpus
        + "); servers started here run on the node CPUs. --no-pin turns this off.");
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(PINNED_ENV, cpus);
    try {
      Process child = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
      return OptionalInt.of(child.waitFor());
    } catch (IOException e) {
      throw new BenchException("cannot start " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    }
  }

  /** The CPUs this process may run on, as {@code taskset -c} writes them (Cpus_allowed_list), or null. */
  static String allowedCpus() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return null;
  }

  /** CPUs online on the machine (not just those this process may use). */
  public static int onlineCpus() {
    try {
      String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
      int count = 0;
      for (String part : online.split(",")) {
        String[] range = part.split("-");
        count += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
      }
      return count;
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  private static Path findTaskset() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      Path candidate = Path.of(dir, "taskset");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
