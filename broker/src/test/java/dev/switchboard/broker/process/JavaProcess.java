package dev.switchboard.broker.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A JVM started by a test, with the same {@code java} as the test JVM. Its stdout and stderr lines are read as they
 * come and kept (the last {@value #KEPT_LINES}), so a test can wait for a line and print everything on failure.
 *
 * <p>Every process started here is tracked until it is closed: {@link ProcessReaper} closes the processes a test
 * left behind (and prints their output if the test failed), and a shutdown hook kills any still alive when the test
 * JVM exits.
 */
public final class JavaProcess implements AutoCloseable {
  static final int KEPT_LINES = 10_000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Set<JavaProcess> TRACKED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> TRACKED.forEach(p -> p.process.destroyForcibly()),
        "java-process-reaper"));
  }

  private final String name;
  private final long sequence = SEQUENCE.getAndIncrement();
  private final Process process;
  private final Writer stdin;
  private final Deque<Line> lines = new ArrayDeque<>();
  private final CountDownLatch drained = new CountDownLatch(2);
  private long dropped;

  private JavaProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code java <javaArgs...>} (JVM options, then {@code -jar x.jar} or {@code -cp ... Main}, then program
   * arguments) with {@code env} added to the test JVM's environment. Returns at once.
   */
  public static JavaProcess start(String name, List<String> javaArgs, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Dfile.encoding=UTF-8");
    command.addAll(javaArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    JavaProcess started = new JavaProcess(name, process);
    TRACKED.add(started);
    started.pump(process.getInputStream(), false);
    started.pump(process.getErrorStream(), true);
    return started;
  }

  /** The {@code java} executable of the running JVM. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or empty while the process runs. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Waits until a line of stdout or stderr matches and returns it (lines already read count too). Fails with the
   * whole output when the process ends without such a line or {@code timeout} passes.
   */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
          .until(() -> find(match) != null || drained.getCount() == 0);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(name + ": no matching line within " + timeout + "\n" + describe());
    }
    String line = find(match);
    if (line == null) {
      throw new AssertionError(name + ": ended without a matching line\n" + describe());
    }
    return line;
  }

  /** Waits for the line that contains {@code text}. */
  public String awaitLine(String text, Duration timeout) {
    return awaitLine(line -> line.contains(text), timeout);
  }

  /** Writes one line to the process's stdin and flushes. */
  public void writeLine(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot write to stdin", e);
    }
  }

  /** Closes the process's stdin (end of input). */
  public void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot close stdin", e);
    }
  }

  /** Waits for the process to end by itself and returns its exit code; fails if it still runs after {@code timeout}. */
  public int awaitExit(Duration timeout) {
    if (!waitFor(timeout)) {
      throw new AssertionError(name + ": still running after " + timeout + "\n" + describe());
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, then waits up to 30 s and returns the exit code. A process that is still running then is killed, and this
   * fails. What it writes while it stops is still read.
   */
  public int stop() {
    signalStop();
    if (!waitFor(STOP_TIMEOUT)) {
      kill();
      throw new AssertionError(name + ": did not stop within " + STOP_TIMEOUT + " of SIGTERM; killed\n" + describe());
    }
    return process.exitValue();
  }

  /**
   * Sends SIGTERM and returns at once; {@link #stop()} waits too. Through the process handle: {@link Process#destroy()}
   * would also close the pipes, losing what the process writes while it stops.
   */
  public void signalStop() {
    process.toHandle().destroy();
  }

  /** SIGKILL ({@link Process#destroyForcibly()}), then waits for the process to be gone; returns its exit code. */
  public int kill() {
    process.destroyForcibly();
    if (!waitFor(STOP_TIMEOUT)) {
      throw new AssertionError(name + ": still alive " + STOP_TIMEOUT + " after SIGKILL");
    }
    return process.exitValue();
  }

  /** Kills the process if it is still running and stops tracking it. Never throws. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        kill();
      }
    } catch (RuntimeException | AssertionError e) {
      System.err.println(name + ": " + e.getMessage());
    } finally {
      TRACKED.remove(this);
    }
  }

  /** All lines kept, stdout and stderr interleaved in the order they were read. */
  public List<String> output() {
    return lines(line -> true);
  }

  public List<String> stdout() {
    return lines(line -> !line.err());
  }

  public List<String> stderr() {
    return lines(Line::err);
  }

  /** Name, pid, state and every line kept, for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder("---- ").append(name).append(" (pid ").append(process.pid()).append(", ")
        .append(process.isAlive() ? "running" : "exit code " + process.exitValue()).append(") ----\n");
    synchronized (this) {
      if (dropped > 0) {
        sb.append("(").append(dropped).append(" earlier lines dropped)\n");
      }
      lines.forEach(line -> sb.append(line.err() ? "err| " : "out| ").append(line.text()).append('\n'));
    }
    return sb.append("---- end of ").append(name).append(" ----").toString();
  }

  /** Closes, and prints the output of if {@code print}, every tracked process started at or after {@code mark}. */
  static void reap(long mark, boolean print) {
    for (JavaProcess p : new ArrayList<>(TRACKED)) {
      if (p.sequence >= mark) {
        p.close();
        if (print) {
          System.err.println(p.describe());
        }
      }
    }
  }

  /** The sequence number the next process will get; see {@link #reap}. */
  static long mark() {
    return SEQUENCE.get();
  }

  private boolean waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      // The pipes reach end of file once the process is gone; read what was left in them.
      drained.await(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted", e);
    }
  }

  private synchronized List<String> lines(Predicate<Line> which) {
    List<String> out = new ArrayList<>();
    for (Line line : lines) {
      if (which.test(line)) {
        out.add(line.text());
      }
    }
    return out;
  }

  private synchronized String find(Predicate<String> match) {
    for (Line line : lines) {
      if (match.test(line.text())) {
        return line.text();
      }
    }
    return null;
  }

  private void pump(InputStream stream, boolean err) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          add(new Line(err, line));
        }
      } catch (IOException e) {
        add(new Line(err, "[" + name + ": output unreadable: " + e + "]"));
      } finally {
        drained.countDown();
      }
    }, name + (err ? "-stderr" : "-stdout"));
    reader.setDaemon(true);
    reader.start();
  }

  private synchronized void add(Line line) {
    lines.addLast(line);
    if (lines.size() > KEPT_LINES) {
      lines.removeFirst();
      dropped++;
    }
  }

  private record Line(boolean err, String text) {
  }
}
