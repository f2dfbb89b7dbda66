package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU used by every process but the load generator and the server, from {@code /proc/<pid>/stat}: a benchmark on a
 * machine that is busy with something else (a build, tests) measures that too, and this says so. Linux only;
 * elsewhere it reports NaN. Processes that ended between two snapshots are missed.
 */
public final class OtherLoad {
  private static final Path PROC = Path.of("/proc");
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long wallNanos;
  private final Map<Long, Long> ticks;

  private OtherLoad(long wallNanos, Map<Long, Long> ticks) {
    this.wallNanos = wallNanos;
    this.ticks = ticks;
  }

  /** CPU ticks of every process now, except {@code excluded} pids. */
  public static OtherLoad snapshot(long... excluded) {
    Map<Long, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString()
        .matches("\\d+"))) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (!contains(excluded, pid)) {
          long t = cpuTicks(dir.resolve("stat"));
          if (t >= 0) {
            ticks.put(pid, t);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return new OtherLoad(System.nanoTime(), null);
    }
    return new OtherLoad(System.nanoTime(), ticks);
  }

  /** CPU the other processes used since {@code earlier}, in percent of one core; NaN when unknown. */
  public double percentSince(OtherLoad earlier) {
    if (ticks == null || earlier.ticks == null || wallNanos <= earlier.wallNanos) {
      return Double.NaN;
    }
    long used = 0;
    for (Map.Entry<Long, Long> e : ticks.entrySet()) {
      used += e.getValue() - earlier.ticks.getOrDefault(e.getKey(), 0L);
    }
    return 100.0 * used * NANOS_PER_TICK / (wallNanos - earlier.wallNanos);
  }

  /** utime + stime of one process, or -1 if it is gone. */
  private static long cpuTicks(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean contains(long[] values, long v) {
    for (long x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
