package dev.switchboard.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/** One-line logs on stderr, Hazelcast and Netty at WARNING, unless java.util.logging is configured already. */
final class Logs {
  private static final String DEFAULTS = String.join("\n",
      "handlers=java.util.logging.ConsoleHandler",
      ".level=INFO",
      "java.util.logging.ConsoleHandler.level=ALL",
      "java.util.logging.SimpleFormatter.format=%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n",
      "com.hazelcast.level=WARNING",
      "io.netty.level=WARNING",
      "");

  private Logs() {
  }

  static void configure() {
    System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try {
      LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(DEFAULTS.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
