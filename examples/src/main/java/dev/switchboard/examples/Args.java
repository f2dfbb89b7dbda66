package dev.switchboard.examples;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionListener;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Command-line arguments of the examples: positional ones, and {@code --key value} options that may repeat. */
record Args(List<String> positional, Map<String, List<String>> options) {
  static final String DEFAULT_SERVER = "ws://127.0.0.1:8080/ws";
  /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
  private static final Logger CLIENT_LOG = Logger.getLogger("dev.switchboard.client");

  /** Parses {@code args}; exits with {@code usage} on an option not in {@code known} or without a value. */
  static Args parse(String[] args, String usage, String... known) {
    List<String> positional = new ArrayList<>();
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        positional.add(args[i]);
        continue;
      }
      String key = args[i].substring(2);
      if (!Set.of(known).contains(key) || i + 1 >= args.length) {
        throw fail(usage);
      }
      options.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
    }
    return new Args(positional, options);
  }

  /** The {@code --server} URLs (each may also be a comma-separated list), or the default one. */
  List<String> servers() {
    List<String> servers = new ArrayList<>();
    for (String value : options.getOrDefault("server", List.of())) {
      for (String url : value.split(",")) {
        if (!url.isBlank()) {
          servers.add(url.trim());
        }
      }
    }
    return servers.isEmpty() ? List.of(DEFAULT_SERVER) : servers;
  }

  /** The last value of {@code --key}, or {@code fallback}. */
  String option(String key, String fallback) {
    List<String> values = options.getOrDefault(key, List.of());
    return values.isEmpty() ? fallback : values.get(values.size() - 1);
  }

  /**
   * A client for the {@code --server} URLs that tells {@code listener} about connection events. The examples print
   * those themselves, so the client's own log is turned down to what went wrong.
   */
  SwitchboardClient connect(ConnectionListener listener, String usage) {
    CLIENT_LOG.setLevel(Level.WARNING);
    ClientOptions options;
    try {
      options = ClientOptions.builder().servers(servers().toArray(String[]::new)).connectionListener(listener).build();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      throw fail(usage);
    }
    return Switchboard.connect(options);
  }

  /** Prints {@code usage} and exits with 2; declared to return an exception so callers can {@code throw} it. */
  static IllegalStateException fail(String usage) {
    System.err.println(usage);
    System.exit(2);
    return new IllegalStateException(usage);
  }
}
