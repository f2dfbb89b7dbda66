package dev.switchboard.bench.node;

/** A server to measure: one started here ({@link ServerProcess}) or one already running ({@link #external}). */
public interface Endpoint extends AutoCloseable {

  /** {@code ws://host:port/ws}. */
  String url();

  /** The server's process id, or 0 when not known. */
  long pid();

  /** Stops the server if it was started here. */
  @Override
  void close();

  static Endpoint external(String url, long pid) {
    return new Endpoint() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public long pid() {
        return pid;
      }

      @Override
      public void close() {
      }
    };
  }
}
