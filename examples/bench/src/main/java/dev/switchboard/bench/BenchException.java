package dev.switchboard.bench;

/** A benchmark that cannot go on (a server that does not start, connections refused); the message says why. */
public final class BenchException extends RuntimeException {
  public BenchException(String message) {
    super(message);
  }

  public BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
