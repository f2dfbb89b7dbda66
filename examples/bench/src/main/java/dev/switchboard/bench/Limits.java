package dev.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The open-file limit, which caps connections: a JVM cannot raise it for itself, so the tool checks it before
 * connecting and says which command raises it.
 */
public final class Limits {
  /** Descriptors kept free for the JVM, jars and sockets other than the connections. */
  static final int SPARE_FILES = 200;

  private Limits() {
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
          + "may open " + max + " (ulimit -n). Raise the limit in the shell that runs the tool, for example:\n"
          + "  bash -c 'ulimit -n 1048576 && taskset -c 1 java -jar examples/bench/target/switchboard-bench.jar ...'\n"
          + "(the hard limit, ulimit -Hn, must allow it; as root, or see /etc/security/limits.conf)");
    }
  }
}
