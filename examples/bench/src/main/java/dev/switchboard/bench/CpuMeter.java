package dev.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time of the load generator (this process) and, when its pid is known, of the server: sampled at the start and
 * end of a measurement, reported as a percentage of one core.
 */
public final class CpuMeter {
  private final long serverPid;

  /** {@code serverPid} 0 or less: the server's CPU is not known (a server this process did not start). */
  public CpuMeter(long serverPid) {
    this.serverPid = serverPid;
  }

  /** The server's pid, 0 when not known. */
  public long serverPid() {
    return serverPid;
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
    if (serverPid <= 0) {
      return -1;
    }
    Optional<Duration> cpu = ProcessHandle.of(serverPid).flatMap(p -> p.info().totalCpuDuration());
    return cpu.map(Duration::toNanos).orElse(-1L);
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
