package dev.switchboard.broker;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The launcher's log line formats, each line naming the node: {@link Text} and {@link Json}. Public (with no-argument
 * constructors) so that {@code java.util.logging} configuration can name them; the node id is set once known.
 */
public final class LogFormats {
  /** Until the node has joined the cluster its id is not known; lines say {@value}. */
  public static final String NO_NODE = "-";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneId.systemDefault());
  private static volatile String node = NO_NODE;

  private LogFormats() {
  }

  /** The node id every later line carries. */
  public static void node(String nodeId) {
    node = nodeId;
  }

  /** {@code 2025-01-31 12:00:00.123 INFO node=<id> [logger] message}, then the stack trace if any. */
  public static final class Text extends Formatter {
    @Override
    public String format(LogRecord record) {
      String thrown = record.getThrown() == null ? "" : "\n" + stackTrace(record.getThrown()).stripTrailing();
      return TIME.format(record.getInstant()) + " " + record.getLevel().getName() + " node=" + node + " ["
          + record.getLoggerName() + "] " + formatMessage(record) + thrown + "\n";
    }
  }

  /** One JSON object per line: {@code time}, {@code level}, {@code node}, {@code logger}, {@code thread},
   * {@code message}, and {@code error} (the stack trace) when there is one. */
  public static final class Json extends Formatter {
    @Override
    public String format(LogRecord record) {
      JsonObject line = new JsonObject()
          .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
          .put("level", record.getLevel().getName())
          .put("node", node)
          .put("logger", record.getLoggerName())
          .put("thread", Thread.currentThread().getName())
          .put("message", formatMessage(record));
      if (record.getThrown() != null) {
        line.put("error", stackTrace(record.getThrown()));
      }
      return line.encode() + "\n";
    }
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
