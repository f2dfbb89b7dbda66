package dev.switchboard.bench.node;

import dev.switchboard.bench.BenchException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in its own process (a node from the launcher jar, or the ceiling server), ready once it prints
 * {@code serving ws://host:port/ws}. Its output is read all along (kept: the last {@value #KEPT_LINES} lines, shown
 * if it fails to start); lines that report errors are echoed to stderr.
 */
public final class ServerProcess implements Endpoint {
  private static final Pattern SERVING = Pattern.compile("serving (ws://\\S+/ws)");
  private static final Pattern ALARM = Pattern.compile("SEVERE|ERROR|Exception|OutOfMemory");
  private static final int KEPT_LINES = 200;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final Process process;
  private final Deque<String> lines = new ArrayDeque<>();
  private final CountDownLatch serving = new CountDownLatch(1);
  private volatile String url;

  private ServerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code command} and waits until it serves; kills it and fails with its output if it does not. */
  public static ServerProcess start(String name, List<String> command, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BenchException(name + ": cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    ServerProcess server = new ServerProcess(name, process);
    Thread pump = new Thread(server::pump, name + "-output");
    pump.setDaemon(true);
    pump.start();
    try {
      if (!server.serving.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || server.url == null) {
        server.close();
        throw new BenchException(name + " did not start within " + timeout.toSeconds() + " s: "
            + String.join(" ", command) + "\n" + server.output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new BenchException("interrupted", e);
    }
    return server;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** SIGTERM, then SIGKILL if it is still running after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The last lines of output. */
  public synchronized String output() {
    return "---- " + name + " (pid " + process.pid() + (process.isAlive() ? ", running" : ", exit "
        + process.exitValue()) + ") ----\n" + String.join("\n", lines) + "\n---- end of " + name + " ----";
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        keep(line);
        Matcher m = SERVING.matcher(line);
        if (url == null && m.find()) {
          url = m.group(1);
          serving.countDown();
        } else if (url != null && ALARM.matcher(line).find()) {
          System.err.println(name + "| " + line);
        }
      }
    } catch (IOException e) {
      keep("[output unreadable: " + e + "]");
    } finally {
      serving.countDown();
    }
  }

  private synchronized void keep(String line) {
    lines.addLast(line);
    if (lines.size() > KEPT_LINES) {
      lines.removeFirst();
    }
  }
}
