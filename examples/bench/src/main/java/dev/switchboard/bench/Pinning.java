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
  private static final Path TASKSET = findTool("taskset");

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
   * Runs this same command again under {@code taskset -c cpus} and, when the run needs more open files than the
   * soft limit, under {@code prlimit} raising it ({@link Limits}); waits for it and returns its exit code. Empty
   * when this process is the re-run one already, or neither is needed or possible (then says why).
   */
  static OptionalInt reexec(String[] args, BenchOptions o) {
    if (System.getenv(PINNED_ENV) != null) {
      return OptionalInt.empty();
    }
    boolean pin = o.pin && !o.loadCpus.equals(allowedCpus());
    if (pin && !available()) {
      System.err.println("bench: not pinning to CPUs (" + (TASKSET == null ? "no taskset" : "fewer than 2 CPUs")
          + "); the load generator and the server share the CPUs");
      pin = false;
    }
    long needed = Limits.neededFiles(o);
    List<String> raise = Limits.raisePrefix(needed);
    if (!pin && raise.isEmpty()) {
      return OptionalInt.empty();
    }
    String cpus = o.loadCpus;
    List<String> command = new ArrayList<>(raise);
    command.addAll(prefix(pin, cpus));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Bench.class.getName());
    command.addAll(List.of(args));
    if (!raise.isEmpty()) {
      System.err.println("bench: raising the open-file limit from " + Limits.maxOpenFiles() + " to " + needed
          + " for " + (needed - Limits.SPARE_FILES) + " connections (" + String.join(" ", raise)
          + "); servers started here inherit it");
    }
    if (pin) {
      System.err.println("bench: running the load generator on CPU " + cpus + " (taskset -c " + cpus
          + "); servers started here run on the node CPUs. --no-pin turns this off.");
    }
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(PINNED_ENV, pin ? cpus : "no");
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

  /** {@code name} on the PATH, or null. */
  static Path findTool(String name) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
