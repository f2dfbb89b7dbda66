package dev.switchboard.broker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command of the repository (a script under {@code scripts/}), run to its end with its output kept. */
public final class Script {
  /** What a finished command left: its exit code and its stdout and stderr, interleaved. */
  public record Result(int exitCode, String output) {
    public List<String> lines() {
      return output.lines().toList();
    }
  }

  private Script() {
  }

  /** The repository's top directory (the launcher jar is {@code broker/target/} under it). */
  public static Path repository() {
    return NodeProcess.jar().toAbsolutePath().getParent().getParent().getParent();
  }

  /** Runs {@code command} in the repository with {@code env} added; fails if it is still running after {@code timeout}. */
  public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path output = Files.createTempFile("script", ".out");
      try {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(repository().toFile())
            .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(command + " still running after " + timeout + ":\n"
              + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
