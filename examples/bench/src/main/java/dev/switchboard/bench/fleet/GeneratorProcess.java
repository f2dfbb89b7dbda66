package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One generator child process as the controller sees it: its latest {@code status} line, the answers to its commands
 * in order, the first {@code fatal} message it sent; its stderr echoed to ours with its name in front.
 */
final class GeneratorProcess {
  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();
  private volatile JsonObject status = new JsonObject();
  private volatile String fatal;

  private GeneratorProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  static GeneratorProcess start(String name, List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new BenchException(name + ": cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    GeneratorProcess g = new GeneratorProcess(name, process);
    daemon(name + "-out", g::readLines);
    daemon(name + "-err", () -> g.echo(process.getErrorStream()));
    return g;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  JsonObject status() {
    return status;
  }

  /** What went wrong: its fatal message, or that it exited; null while it runs well. */
  String problem() {
    if (fatal != null) {
      return name + ": " + fatal;
    }
    return process.isAlive() ? null : name + " exited with code " + process.exitValue();
  }

  synchronized void send(String command) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      fatal = fatal != null ? fatal : "cannot send '" + command + "': " + e.getMessage();
    }
  }

  /** The next answer of {@code type}, or null if none came by {@code deadlineNanos} ({@link System#nanoTime}). */
  JsonObject await(String type, long deadlineNanos) {
    try {
      for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
        JsonObject answer = answers.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
        if (answer != null && type.equals(answer.getString("type"))) {
          return answer;
        }
        if (answer == null && !process.isAlive()) {
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** Waits for it to exit (after {@code stop}); kills it if it has not within {@code wait}. */
  void awaitExit(Duration wait) {
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonObject json;
        try {
          json = new JsonObject(line);
        } catch (DecodeException e) {
          System.err.println(name + "| " + line);
          continue;
        }
        switch (json.getString("type", "")) {
          case "status" -> status = json;
          case "fatal" -> {
            fatal = fatal != null ? fatal : json.getString("message");
            System.err.println(name + "| fatal: " + json.getString("message"));
          }
          default -> answers.add(json);
        }
      }
    } catch (IOException e) {
      fatal = fatal != null ? fatal : "output unreadable: " + e;
    }
  }

  private void echo(InputStream err) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.err.println(name + "| " + line);
      }
    } catch (IOException e) {
      // The process is gone.
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }
}
