package dev.switchboard.broker;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table of settings: each key is a command-line flag ({@code --port}), an environment variable
 * ({@code SWITCHBOARD_PORT}) and a key of the JSON config file ({@code "port"}). Later sources win: the defaults of
 * {@link BrokerOptions}, then the config file ({@code --config} or {@code SWITCHBOARD_CONFIG}), then the environment,
 * then the flags.
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

  /** The config file to read first: a flag and a variable like the others, but not a key inside the file. */
  public static final Setting CONFIG = new Setting("config", "JSON file of settings, keys as the flags", o -> "",
      (o, v) -> { });

  public static final List<Setting> ALL = concat(
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
      new Setting("min-members", "fewest members (this one included) to serve with; below: not ready, clients closed",
          BrokerOptions::minMembers, (o, v) -> o.minMembers(integer("min-members", v))),
      new Setting("failure-detection-ms", "a member unheard this long is removed from the cluster",
          BrokerOptions::failureDetectionMs, (o, v) -> o.failureDetectionMs(integer("failure-detection-ms", v))),
      new Setting("bus-port", "event-bus port for node-to-node messages, 0 = any free port", BrokerOptions::busPort,
          (o, v) -> o.busPort(integer("bus-port", v))),
      new Setting("instances", "broker instances (event loops) sharing the port", BrokerOptions::instances,
          (o, v) -> o.instances(integer("instances", v))),
      new Setting("transport", "network transport: auto (epoll where it loads, else nio), epoll, io_uring or nio",
          BrokerOptions::transport, BrokerOptions::transport),
      new Setting("heartbeat-interval-ms", "ping every this many ms", BrokerOptions::heartbeatIntervalMs,
          (o, v) -> o.heartbeatIntervalMs(integer("heartbeat-interval-ms", v))),
      new Setting("heartbeat-timeout-ms", "close a client that has not answered a ping within this many ms",
          BrokerOptions::heartbeatTimeoutMs, (o, v) -> o.heartbeatTimeoutMs(integer("heartbeat-timeout-ms", v))),
      new Setting("max-frame-bytes", "largest frame a client may send", BrokerOptions::maxFrameBytes,
          (o, v) -> o.maxFrameBytes(integer("max-frame-bytes", v))),
      new Setting("max-pending-bytes", "bytes waiting for one client before it is closed as slow",
          BrokerOptions::maxPendingBytes, (o, v) -> o.maxPendingBytes(integer("max-pending-bytes", v))),
      new Setting("max-subscriptions", "subscriptions per connection", BrokerOptions::maxSubscriptions,
          (o, v) -> o.maxSubscriptions(integer("max-subscriptions", v))),
      new Setting("presence", "presence topics, patterns,... e.g. chat.>,doc.* (none by default)",
          o -> String.join(",", o.presence()),
          (o, v) -> o.presence(list(v))),
      new Setting("presence-grace-ms", "how long a leave, vacated or offline event waits for a return (3000)",
          o -> String.valueOf(o.presenceGraceMs()), (o, v) -> o.presenceGraceMs(integer("presence-grace-ms", v))),
      new Setting("webhook-url", "where topic and user events are also POSTed (none by default)",
          o -> o.webhookUrl() == null ? "" : o.webhookUrl(), BrokerOptions::webhookUrl),
      new Setting("webhook-secret-file", "file with the secret the webhook's events are signed with (HMAC-SHA256)",
          o -> o.webhookSecretFile() == null ? "" : o.webhookSecretFile(), BrokerOptions::webhookSecretFile),
      new Setting("history", "history topics, pattern/size/ttl,... e.g. chat.>/1000/5m (none by default)",
          o -> o.history().stream().map(HistoryRule::toString).collect(Collectors.joining(",")),
          (o, v) -> o.history(HistoryRule.parseList(v))),
      new Setting("drain-window-ms", "on SIGTERM, close clients spread over this many ms, then stop",
          BrokerOptions::drainWindowMs, (o, v) -> o.drainWindowMs(integer("drain-window-ms", v))),
      new Setting("log-format", "log lines as text or json", BrokerOptions::logFormat, BrokerOptions::logFormat),
      SecuritySettings.ALL);

  private Settings() {
  }

  private static List<Setting> concat(Object... parts) {
    List<Setting> all = new java.util.ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Setting s) {
        all.add(s);
      } else {
        for (Object s : (List<?>) part) {
          all.add((Setting) s);
        }
      }
    }
    return List.copyOf(all);
  }

  /**
   * Options from the defaults, then the config file, then the environment, then {@code args} ({@code --key value} or
   * {@code --key=value}). Throws {@link IllegalArgumentException} naming the setting for an unknown flag or key, a
   * bad value, or a config file that cannot be read.
   */
  public static BrokerOptions parse(String[] args, Map<String, String> env) {
    Map<Setting, String> flags = flags(args);
    BrokerOptions options = new BrokerOptions();
    Map<String, String> sources = new HashMap<>();
    String config = flags.containsKey(CONFIG) ? flags.remove(CONFIG) : env.get(CONFIG.env());
    if (config != null && !config.isBlank()) {
      ConfigFile.read(Path.of(config.trim())).forEach((key, value) -> apply(find(key, config), options, value,
          "in " + config, sources));
    }
    for (Setting s : ALL) {
      String value = env.get(s.env());
      if (value != null) {
        apply(s, options, value.trim(), "from " + s.env(), sources);
      }
    }
    flags.forEach((s, value) -> apply(s, options, value.trim(), null, sources));
    try {
      return options.validate();
    } catch (IllegalArgumentException e) {
      String source = sources.get(e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':'))));
      throw source == null ? e : new IllegalArgumentException(e.getMessage() + " (" + source + ")", e);
    }
  }

  /** The flags of {@code args} in order, the last of a repeated flag winning. */
  private static Map<Setting, String> flags(String[] args) {
    Map<Setting, String> flags = new LinkedHashMap<>();
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
      Setting setting = CONFIG.key().equals(key) ? CONFIG : find(key, null);
      flags.remove(setting);
      flags.put(setting, value);
    }
    return flags;
  }

  /**
   * Applies one value and notes where it came from ({@code source} null: a flag); a value that is refused names its
   * setting and, when not a flag, where it came from.
   */
  private static void apply(Setting setting, BrokerOptions options, String value, String source,
                            Map<String, String> sources) {
    try {
      setting.apply().accept(options, value);
    } catch (IllegalArgumentException e) {
      throw source == null ? e : new IllegalArgumentException(e.getMessage() + " (" + source + ")", e);
    }
    if (source == null) {
      sources.remove(setting.key());
    } else {
      sources.put(setting.key(), source);
    }
  }

  /** The text {@code --help} prints. */
  public static String help() {
    BrokerOptions defaults = new BrokerOptions();
    StringBuilder sb = new StringBuilder("Usage: java -jar switchboard-broker.jar [--key value ...]\n\n"
        + "Starts one Switchboard node (WebSocket endpoint ws://host:port/ws) with embedded Hazelcast.\n"
        + "Every flag can also be set by its environment variable or in the config file (keys without --);\n"
        + "flags win over the environment, which wins over the file.\n\n");
    sb.append(String.format("  %-26s %-36s %s%n", CONFIG.flag() + " FILE", CONFIG.env(), CONFIG.help()));
    for (Setting s : ALL) {
      sb.append(String.format("  %-26s %-36s %s (default: %s)%n", s.flag(), s.env(), s.help(),
          s.current().apply(defaults)));
    }
    sb.append(String.format("  %-26s %-36s %s%n", "--help", "", "print this and exit"));
    return sb.toString();
  }

  /** The setting named {@code key}: a flag ({@code file} null) or a key of the config file {@code file}. */
  private static Setting find(String key, String file) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(file == null ? "unknown flag --" + key + " (see --help)"
            : "config: unknown setting '" + key + "' in " + file + " (see --help)"));
  }

  static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number");
    }
  }

  static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
  }
}
