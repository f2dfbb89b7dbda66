package dev.switchboard.broker;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table of settings: each key is a command-line flag ({@code --port}) and an environment variable
 * ({@code SWITCHBOARD_PORT}). Flags override the environment, which overrides the defaults of {@link BrokerOptions}.
 */
public final class Settings {

  /** One setting: its key, help text, default as shown, and how a string value is applied. */
  public record Setting(String key, String help, Function<BrokerOptions, Object> current,
                        BiConsumer<BrokerOptions, String> apply) {
    public String flag() {
      return "--" + key;
    }

    public String env() {
      return "SWITCHBOARD_" + key.toUpperCase().replace('-', '_');
    }
  }

  public static final List<Setting> ALL = List.of(
      new Setting("host", "interface for WebSocket clients", BrokerOptions::host, BrokerOptions::host),
      new Setting("port", "WebSocket port (endpoint /ws), 0 = any free port", BrokerOptions::port,
          (o, v) -> o.port(integer("port", v))),
      new Setting("cluster-host", "address for cluster traffic, announced to other members",
          BrokerOptions::clusterHost, BrokerOptions::clusterHost),
      new Setting("cluster-port", "Hazelcast member port", BrokerOptions::clusterPort,
          (o, v) -> o.clusterPort(integer("cluster-port", v))),
      new Setting("join", "members to join, host:port,...; empty = start a new cluster",
          o -> String.join(",", o.join()), (o, v) -> o.join(list(v))),
      new Setting("cluster-name", "members join only members with the same name", BrokerOptions::clusterName,
          BrokerOptions::clusterName),
      new Setting("bus-port", "event-bus port for node-to-node messages, 0 = any free port", BrokerOptions::busPort,
          (o, v) -> o.busPort(integer("bus-port", v))),
      new Setting("instances", "broker instances (event loops) sharing the port", BrokerOptions::instances,
          (o, v) -> o.instances(integer("instances", v))),
      new Setting("heartbeat-interval-ms", "ping every this many ms", BrokerOptions::heartbeatIntervalMs,
          (o, v) -> o.heartbeatIntervalMs(integer("heartbeat-interval-ms", v))),
      new Setting("heartbeat-timeout-ms", "close a client that has not answered a ping within this many ms",
          BrokerOptions::heartbeatTimeoutMs, (o, v) -> o.heartbeatTimeoutMs(integer("heartbeat-timeout-ms", v))),
      new Setting("max-frame-bytes", "largest frame a client may send", BrokerOptions::maxFrameBytes,
          (o, v) -> o.maxFrameBytes(integer("max-frame-bytes", v))),
      new Setting("max-pending-bytes", "bytes waiting for one client before it is closed as slow",
          BrokerOptions::maxPendingBytes, (o, v) -> o.maxPendingBytes(integer("max-pending-bytes", v))),
      new Setting("max-subscriptions", "subscriptions per connection", BrokerOptions::maxSubscriptions,
          (o, v) -> o.maxSubscriptions(integer("max-subscriptions", v))));

  private Settings() {
  }

  /**
   * Options from the defaults, then the environment, then {@code args} ({@code --key value} or {@code --key=value}).
   * Throws {@link IllegalArgumentException} naming the setting for an unknown flag or a bad value.
   */
  public static BrokerOptions parse(String[] args, Map<String, String> env) {
    BrokerOptions options = new BrokerOptions();
    for (Setting s : ALL) {
      String value = env.get(s.env());
      if (value != null) {
        s.apply().accept(options, value.trim());
      }
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String key;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        key = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else if (arg.startsWith("--")) {
        key = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(key + ": needs a value");
        }
        value = args[++i];
      } else {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      find(key).apply().accept(options, value.trim());
    }
    return options.validate();
  }

  /** The text {@code --help} prints. */
  public static String help() {
    BrokerOptions defaults = new BrokerOptions();
    StringBuilder sb = new StringBuilder("Usage: java -jar switchboard-broker.jar [--key value ...]\n\n"
        + "Starts one Switchboard node (WebSocket endpoint ws://host:port/ws) with embedded Hazelcast.\n"
        + "Every flag can also be set by its environment variable; flags win.\n\n");
    for (Setting s : ALL) {
      sb.append(String.format("  %-26s %-36s %s (default: %s)%n", s.flag(), s.env(), s.help(),
          s.current().apply(defaults)));
    }
    sb.append(String.format("  %-26s %-36s %s%n", "--help", "", "print this and exit"));
    return sb.toString();
  }

  private static Setting find(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown flag --" + key + " (see --help)"));
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number");
    }
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
  }
}
