package dev.switchboard.broker;


import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The launcher's logging: one line per event on stderr, as text or JSON ({@code --log-format}), each line naming the
 * node, with Hazelcast and Netty at WARNING. A {@code java.util.logging.config.file} given to the JVM replaces all of
 * this (its formatter may still be {@code dev.switchboard.broker.LogFormats$Text} or {@code $Json}).
 */
final class Logs {
  private Logs() {
  }

  static void configure(String format) {
    System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    String formatter = LogFormats.class.getName()
        + (BrokerOptions.LOG_FORMAT_JSON.equals(format) ? "$Json" : "$Text");
    String config = String.join("\n",
        "handlers=java.util.logging.ConsoleHandler",
        ".level=INFO",
        "java.util.logging.ConsoleHandler.level=ALL",
        "java.util.logging.ConsoleHandler.formatter=" + formatter,
        "com.hazelcast.level=WARNING",
        "io.netty.level=WARNING",
        "");
    try {
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every line from now on carries this node id. */
  static void node(String nodeId) {
    LogFormats.node(nodeId);
  }
}
