package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The open-file limit, which caps connections. The JVM raises its soft limit to the hard one when it starts; past
 * the hard limit, when a run needs more, {@link Pinning#reexec} runs the tool again under {@code prlimit} with both
 * limits raised, if this process may do that (root with CAP_SYS_RESOURCE), and says so; servers the tool starts
 * inherit the limit. Before connecting, the tool checks the limit and, if it is still too low, fails with the
 * command that raises it.
 */
public final class Limits {
  /** Descriptors kept free for the JVM, jars and sockets other than the connections. */
  static final int SPARE_FILES = 200;
  private static final Path PRLIMIT = Pinning.findTool("prlimit");

  private Limits() {
  }

  /** The open files a run with these options needs: its connections and some to spare. */
  static long neededFiles(BenchOptions o) {
    long connections = switch (o.scenario) {
      case "storm", "idle" -> o.connections;
      // The most any one process holds: a node, or its generator (both inherit the limit).
      case "fleet" -> (o.connections + o.nodes - 1) / o.nodes;
      default -> (long) o.subscribers + o.publishers + (o.churn > 0 ? o.churners : 0);
    };
    return connections + SPARE_FILES;
  }

  /**
   * The command prefix that runs a program with the open-file limit raised to {@code needed}, or nothing when the
   * limit is high enough already, or it cannot be raised here (then says why; the check before connecting fails).
   */
  static List<String> raisePrefix(long needed) {
    long limit = maxOpenFiles();
    if (limit < 0 || needed <= limit) {
      return List.of();
    }
    if (PRLIMIT == null) {
      System.err.println("bench: " + needed + " open files needed, the limit is " + limit + ", and there is no "
          + "prlimit to raise it");
      return List.of();
    }
    List<String> prefix = List.of(PRLIMIT.toString(), "--nofile=" + needed + ":" + needed);
    if (!succeeds(prefix)) {
      System.err.println("bench: " + needed + " open files needed, the limit is " + limit + " and this process may "
          + "not raise it (" + String.join(" ", prefix) + " failed: raising the hard limit needs root with "
          + "CAP_SYS_RESOURCE)");
      return List.of();
    }
    return prefix;
  }

  /** Whether {@code prefix} runs {@code true} successfully. */
  private static boolean succeeds(List<String> prefix) {
    List<String> command = new ArrayList<>(prefix);
    command.add("true");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The hard open-file limit of this process (from /proc/self/limits), or -1 when unknown. */
  static long hardOpenFiles() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] fields = line.trim().split("\\s+");
          String hard = fields[fields.length - 2];
          return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return -1;
  }

  /** The open-file limit of this process, or -1 when the JVM cannot tell. */
  public static long maxOpenFiles() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
      return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** Fails, with the command to run instead, when {@code connections} more sockets would pass the limit. */
  public static void requireFiles(int connections) {
    long max = maxOpenFiles();
    long needed = (long) connections + SPARE_FILES;
    if (max > 0 && needed > max) {
      throw new BenchException(connections + " connections need about " + needed + " open files but this process "
          + "may open " + max + " (ulimit -n; hard limit " + hardOpenFiles() + ", which this process may not raise"
          + "). Raise the limit in the shell that runs the tool, for example:\n"
          + "  bash -c 'ulimit -n 1048576 && taskset -c 1 java -jar examples/bench/target/switchboard-bench.jar ...'\n"
          + "(the hard limit, ulimit -Hn, must allow it; as root, or see /etc/security/limits.conf)");
    }
  }
}
