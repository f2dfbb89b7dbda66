package dev.switchboard.broker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's log lines name the node, as text or as one JSON object per line. */
class LogFormatsTest {

  @AfterEach
  void forgetTheNode() {
    LogFormats.node(LogFormats.NO_NODE);
  }

  @Test
  void textLinesNameTheNodeAndTheLogger() {
    LogFormats.node("node-17");
    String line = new LogFormats.Text().format(record(Level.WARNING, "disk {0}", "full", null));
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING node=node-17 "
        + "\\[dev\\.switchboard\\.Test] disk full\n");
  }

  @Test
  void textLinesBeforeTheNodeIsKnownSayDash() {
    assertThat(new LogFormats.Text().format(record(Level.INFO, "starting", null, null))).contains(" node=- ");
  }

  @Test
  void jsonLinesAreOneObjectWithTheStackTrace() {
    LogFormats.node("node-17");
    String line = new LogFormats.Json().format(record(Level.SEVERE, "failed \"{0}\"", "x", new IllegalStateException("boom")));
    assertThat(line).endsWith("\n").doesNotContain("\n\t");
    JsonObject json = new JsonObject(line.strip());
    assertThat(json.getString("node")).isEqualTo("node-17");
    assertThat(json.getString("level")).isEqualTo("SEVERE");
    assertThat(json.getString("logger")).isEqualTo("dev.switchboard.Test");
    assertThat(json.getString("message")).isEqualTo("failed \"x\"");
    assertThat(json.getString("time")).matches("\\d{4}-.*Z");
    assertThat(json.getString("error")).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
  }

  private static LogRecord record(Level level, String message, Object param, Throwable thrown) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("dev.switchboard.Test");
    if (param != null) {
      record.setParameters(new Object[] {param});
    }
    record.setThrown(thrown);
    return record;
  }
}
