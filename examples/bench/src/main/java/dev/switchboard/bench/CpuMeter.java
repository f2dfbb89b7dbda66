package dev.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * CPU time of the load generator (this process) and, when their pids are known, of the servers (summed): sampled at
 * the start and end of a measurement, reported as a percentage of one core.
 */
public final class CpuMeter {
  private final long[] serverPids;

  /** Pids 0 or less are left out; with none left, the servers' CPU is not known (servers not started here). */
  public CpuMeter(long... serverPids) {
    this.serverPids = Arrays.stream(serverPids).filter(p -> p > 0).toArray();
  }

  /** The server's pid (the first, if several), 0 when not known. */
  public long serverPid() {
    return serverPids.length == 0 ? 0 : serverPids[0];
  }

  /** This process and the servers: what {@link OtherLoad} leaves out. */
  public long[] measuredPids() {
    long[] pids = Arrays.copyOf(serverPids, serverPids.length + 1);
    pids[serverPids.length] = ProcessHandle.current().pid();
    return pids;
  }

  public Sample sample() {
    return new Sample(System.nanoTime(), processCpuNanos(), serverCpuNanos());
  }

  /** CPU time of this JVM, all threads. */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  private long serverCpuNanos() {
    if (serverPids.length == 0) {
      return -1;
    }
    long total = 0;
    for (long pid : serverPids) {
      Optional<Duration> cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
      if (cpu.isEmpty()) {
        return -1;
      }
      total += cpu.get().toNanos();
    }
    return total;
  }

  /** CPU times at one moment. */
  public record Sample(long wallNanos, long benchCpuNanos, long serverCpuNanos) {
    /** The load generator's CPU use since {@code earlier}, in percent of one core. */
    public double benchPercentSince(Sample earlier) {
      return percent(benchCpuNanos, earlier.benchCpuNanos, earlier);
    }

    /** The server's CPU use since {@code earlier}, in percent of one core; NaN when unknown. */
    public double serverPercentSince(Sample earlier) {
      return percent(serverCpuNanos, earlier.serverCpuNanos, earlier);
    }

    private double percent(long now, long then, Sample earlier) {
      long wall = wallNanos - earlier.wallNanos;
      if (now < 0 || then < 0 || wall <= 0) {
        return Double.NaN;
      }
      return 100.0 * (now - then) / wall;
    }
  }
}
