package dev.switchboard.bench.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's memory: resident set size from {@code /proc/<pid>/status} (VmRSS), and Java heap in use after a full
 * GC, from {@code jcmd <pid> GC.run} and {@code jcmd <pid> GC.heap_info} (the JDK's jcmd, same user). Either is -1
 * when it cannot be read.
 */
public record ServerMemory(long rssBytes, long heapUsedBytes) {
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
  private static final long JCMD_TIMEOUT_SECONDS = 60;

  public static ServerMemory sample(long pid) {
    return new ServerMemory(rss(pid), heapAfterGc(pid));
  }

  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone.
    }
    return -1;
  }

  static long heapAfterGc(long pid) {
    if (jcmd(pid, "GC.run") == null) {
      return -1;
    }
    String info = jcmd(pid, "GC.heap_info");
    if (info == null) {
      return -1;
    }
    return parseHeapUsed(info);
  }

  /** Sums the {@code used} of the heap lines (G1: one; Serial, Parallel: young and old); not Metaspace. */
  static long parseHeapUsed(String heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = USED.matcher(line);
      if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        used += Long.parseLong(m.group(1)) * 1024;
        found = true;
      }
    }
    return found ? used : -1;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
