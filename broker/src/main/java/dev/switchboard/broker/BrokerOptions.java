package dev.switchboard.broker;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.protocol.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a node can be configured with, with its defaults. {@link Settings} reads the same keys from a config
 * file, the environment and the command line; {@link #validate()} names the setting that is wrong.
 */
public final class BrokerOptions {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_CLUSTER_HOST = "127.0.0.1";
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final String DEFAULT_CLUSTER_NAME = "switchboard";
  public static final int DEFAULT_BUS_PORT = 0;
  /**
   * One broker verticle (event loop) per core the JVM may use. Each message is handled by every event loop with a
   * subscriber of its topic, and loops beyond the cores only take turns on them: on one core, two loops (Vert.x's
   * default) gave a higher p99 at 1–3M deliveries/s (docs/benchmarks.md, event loops).
   */
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 25_000;
  public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1000;
  public static final long DEFAULT_DRAIN_WINDOW_MS = 10_000;
  public static final int DEFAULT_MIN_MEMBERS = 1;
  public static final long DEFAULT_FAILURE_DETECTION_MS = 8_000;
  public static final long MIN_FAILURE_DETECTION_MS = 2_000;
  public static final long MAX_DRAIN_WINDOW_MS = 600_000;
  public static final String LOG_FORMAT_TEXT = "text";
  public static final String LOG_FORMAT_JSON = "json";
  public static final String DEFAULT_LOG_FORMAT = LOG_FORMAT_TEXT;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String clusterHost = DEFAULT_CLUSTER_HOST;
  private int clusterPort = DEFAULT_CLUSTER_PORT;
  private String clusterName = DEFAULT_CLUSTER_NAME;
  private List<String> join = new ArrayList<>();
  private int busPort = DEFAULT_BUS_PORT;
  private int instances = DEFAULT_INSTANCES;
  private String transport = "auto";
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private long heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private int maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
  private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
  private List<HistoryRule> history = List.of();
  private List<String> presence = List.of();
  private long presenceGraceMs = 3000;
  private String webhookUrl;
  private String webhookSecretFile;
  private long drainWindowMs = DEFAULT_DRAIN_WINDOW_MS;
  private int minMembers = DEFAULT_MIN_MEMBERS;
  private long failureDetectionMs = DEFAULT_FAILURE_DETECTION_MS;
  private String logFormat = DEFAULT_LOG_FORMAT;
  private final SecurityOptions security = new SecurityOptions();

  /** Interface the WebSocket server binds to. */
  public String host() {
    return host;
  }

  public BrokerOptions host(String host) {
    this.host = host;
    return this;
  }

  /** WebSocket/HTTP port; 0 picks a free port (see {@link SwitchboardNode#port()}). */
  public int port() {
    return port;
  }

  public BrokerOptions port(int port) {
    this.port = port;
    return this;
  }

  /** Address Hazelcast and the event bus bind to and announce to the other members. */
  public String clusterHost() {
    return clusterHost;
  }

  public BrokerOptions clusterHost(String clusterHost) {
    this.clusterHost = clusterHost;
    return this;
  }

  /** Hazelcast member port. */
  public int clusterPort() {
    return clusterPort;
  }

  public BrokerOptions clusterPort(int clusterPort) {
    this.clusterPort = clusterPort;
    return this;
  }

  /** Only members with the same cluster name join each other. */
  public String clusterName() {
    return clusterName;
  }

  public BrokerOptions clusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  /** Members to join, as {@code host:port} of their cluster port; empty: start alone. */
  public List<String> join() {
    return join;
  }

  public BrokerOptions join(List<String> join) {
    this.join = new ArrayList<>(join);
    return this;
  }

  /** Event-bus TCP port for node-to-node messages; 0 picks a free one. */
  public int busPort() {
    return busPort;
  }

  public BrokerOptions busPort(int busPort) {
    this.busPort = busPort;
    return this;
  }

  /**
   * The network transport: {@code epoll} (Netty's native transport, Linux on x86-64), {@code nio} (Java's), or
   * {@code auto}: epoll where it loads, else nio.
   */
  public String transport() {
    return transport;
  }

  public BrokerOptions transport(String transport) {
    this.transport = transport;
    return this;
  }

  /** Broker verticle instances, one per event loop; connections are spread over them. */
  public int instances() {
    return instances;
  }

  public BrokerOptions instances(int instances) {
    this.instances = instances;
    return this;
  }

  public long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public BrokerOptions heartbeatIntervalMs(long heartbeatIntervalMs) {
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    return this;
  }

  public long heartbeatTimeoutMs() {
    return heartbeatTimeoutMs;
  }

  public BrokerOptions heartbeatTimeoutMs(long heartbeatTimeoutMs) {
    this.heartbeatTimeoutMs = heartbeatTimeoutMs;
    return this;
  }

  /** Largest text frame (and message) a client may send. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public BrokerOptions maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /**
   * The fewest members, this one included, with which the node serves clients. Below it (a partition left it in a
   * minority) the node is not ready, refuses new clients (503), closes the ones it has with {@code no_quorum} (4008,
   * reconnect: through a load balancer they reach the majority) and refuses history writes. Set it to a majority of
   * the cluster (2 of 3); 1 serves alone. Whatever it is, a node whose join list names another member is not ready
   * before it has joined one.
   */
  public int minMembers() {
    return minMembers;
  }

  public BrokerOptions minMembers(int minMembers) {
    this.minMembers = minMembers;
    return this;
  }

  /**
   * How long a member may go unheard (no heartbeat: it died without closing its sockets, or the network between is
   * cut) before the others remove it from the cluster and take over its partitions. Writes to its partitions wait
   * that long at most.
   */
  public long failureDetectionMs() {
    return failureDetectionMs;
  }

  public BrokerOptions failureDetectionMs(long failureDetectionMs) {
    this.failureDetectionMs = failureDetectionMs;
    return this;
  }

  /** Bytes that may wait to be written to one connection before it is closed as a slow consumer. */
  public int maxPendingBytes() {
    return maxPendingBytes;
  }

  public BrokerOptions maxPendingBytes(int maxPendingBytes) {
    this.maxPendingBytes = maxPendingBytes;
    return this;
  }

  /** Subscriptions one connection may hold. */
  public int maxSubscriptions() {
    return maxSubscriptions;
  }

  public BrokerOptions maxSubscriptions(int maxSubscriptions) {
    this.maxSubscriptions = maxSubscriptions;
    return this;
  }

  /**
   * How long a graceful stop (SIGTERM) spends closing the connected clients, spread evenly over this window so that
   * they do not all reconnect to the other nodes at once; 0 closes them all at once.
   */
  public long drainWindowMs() {
    return drainWindowMs;
  }

  public BrokerOptions drainWindowMs(long drainWindowMs) {
    this.drainWindowMs = drainWindowMs;
    return this;
  }

  /** The launcher's log lines: {@value #LOG_FORMAT_TEXT} (one line of text) or {@value #LOG_FORMAT_JSON}. */
  public String logFormat() {
    return logFormat;
  }

  public BrokerOptions logFormat(String logFormat) {
    this.logFormat = logFormat;
    return this;
  }

  /** History topics: the first rule whose pattern matches a topic keeps its messages; none by default. */
  public List<HistoryRule> history() {
    return history;
  }

  /** Presence topics: the patterns (or topics) whose subscriptions are listed as members; none by default. */
  public List<String> presence() {
    return presence;
  }

  public BrokerOptions presence(List<String> presence) {
    this.presence = List.copyOf(presence);
    return this;
  }

  /** How long a presence going (leave, vacated, offline) waits for its coming back before it is sent. */
  public long presenceGraceMs() {
    return presenceGraceMs;
  }

  public BrokerOptions presenceGraceMs(long presenceGraceMs) {
    this.presenceGraceMs = presenceGraceMs;
    return this;
  }

  /** Where topic and user events are also POSTed (null: nowhere), signed with the secret in the file. */
  public String webhookUrl() {
    return webhookUrl;
  }

  public BrokerOptions webhookUrl(String webhookUrl) {
    this.webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl;
    return this;
  }

  public String webhookSecretFile() {
    return webhookSecretFile;
  }

  public BrokerOptions webhookSecretFile(String webhookSecretFile) {
    this.webhookSecretFile = webhookSecretFile == null || webhookSecretFile.isBlank() ? null : webhookSecretFile;
    return this;
  }

  public BrokerOptions history(List<HistoryRule> history) {
    this.history = List.copyOf(history);
    return this;
  }

  /** Authentication, browser origins, TLS and abuse limits; changed in place. */
  public SecurityOptions security() {
    return security;
  }

  /** Checks every setting; the message of the exception names the one that is wrong. */
  public BrokerOptions validate() {
    require(host != null && !host.isBlank(), "host", "must not be empty");
    requirePort(port, "port", true);
    require(clusterHost != null && !clusterHost.isBlank(), "cluster-host", "must not be empty");
    requirePort(clusterPort, "cluster-port", false);
    require(clusterName != null && !clusterName.isBlank(), "cluster-name", "must not be empty");
    for (String member : join) {
      int colon = member.lastIndexOf(':');
      require(colon > 0 && colon < member.length() - 1, "join", "'" + member + "' is not host:port");
      int memberPort;
      try {
        memberPort = Integer.parseInt(member.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw invalid("join", "'" + member + "' has no numeric port");
      }
      requirePort(memberPort, "join", false);
    }
    require(minMembers >= 1 && minMembers <= 1000, "min-members", "must be between 1 and 1000");
    require(failureDetectionMs >= MIN_FAILURE_DETECTION_MS && failureDetectionMs <= 600_000, "failure-detection-ms",
        "must be between " + MIN_FAILURE_DETECTION_MS + " and 600000");
    requirePort(busPort, "bus-port", true);
    require(instances >= 1 && instances <= 1024, "instances", "must be between 1 and 1024");
    require(List.of("auto", "epoll", "io_uring", "nio").contains(transport), "transport",
        "must be auto, epoll, io_uring or nio");
    require(heartbeatIntervalMs >= 100, "heartbeat-interval-ms", "must be at least 100");
    require(heartbeatTimeoutMs >= 100, "heartbeat-timeout-ms", "must be at least 100");
    require(maxFrameBytes >= 1024, "max-frame-bytes", "must be at least 1024");
    require(maxPendingBytes >= maxFrameBytes, "max-pending-bytes", "must be at least max-frame-bytes");
    require(maxSubscriptions >= 1, "max-subscriptions", "must be at least 1");
    require(drainWindowMs >= 0 && drainWindowMs <= MAX_DRAIN_WINDOW_MS, "drain-window-ms",
        "must be between 0 and " + MAX_DRAIN_WINDOW_MS);
    require(LOG_FORMAT_TEXT.equals(logFormat) || LOG_FORMAT_JSON.equals(logFormat), "log-format",
        "must be " + LOG_FORMAT_TEXT + " or " + LOG_FORMAT_JSON);
    for (String pattern : presence) {
      String problem = Topics.checkPattern(pattern);
      require(problem == null, "presence", "'" + pattern + "': " + problem);
    }
    require(presenceGraceMs >= 0 && presenceGraceMs <= 600_000, "presence-grace-ms", "must be between 0 and 600000");
    if (webhookUrl != null) {
      require(webhookUrl.startsWith("http://") || webhookUrl.startsWith("https://"), "webhook-url",
          "must be an http:// or https:// URL");
      require(webhookSecretFile != null, "webhook-secret-file", "is required with webhook-url (events are signed)");
    }
    security.validate();
    return this;
  }

  private static void requirePort(int port, String setting, boolean zeroAllowed) {
    require(port >= (zeroAllowed ? 0 : 1) && port <= 65535, setting,
        "must be a port number from " + (zeroAllowed ? 0 : 1) + " to 65535");
  }

  private static void require(boolean ok, String setting, String message) {
    if (!ok) {
      throw invalid(setting, message);
    }
  }

  private static IllegalArgumentException invalid(String setting, String message) {
    return new IllegalArgumentException(setting + ": " + message);
  }
}
