package dev.switchboard.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The settings of a {@link SwitchboardClient}: {@code ClientOptions.builder().servers("ws://host:8080/ws").build()}.
 * Every setting but {@code servers} has a default, given by the {@code DEFAULT_*} constants; {@link Builder#build()}
 * checks them and names the setting in its error.
 */
public final class ClientOptions {
  /** The path used for a server URL that has none. */
  public static final String DEFAULT_PATH = "/ws";
  public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
  public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(10);
  /** Reconnect forever. */
  public static final int DEFAULT_MAX_RECONNECT_ATTEMPTS = -1;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_OFFLINE_TIMEOUT = Duration.ofSeconds(60);
  public static final long DEFAULT_PUBLISH_BUFFER_BYTES = 8L * 1024 * 1024;
  public static final Duration DEFAULT_HEARTBEAT_GRACE = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_DISPATCH_BACKLOG = 10_000;

  private final List<URI> servers;
  private final Duration reconnectDelayMin;
  private final Duration reconnectDelayMax;
  private final int maxReconnectAttempts;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration offlineTimeout;
  private final long publishBufferBytes;
  private final Duration heartbeatGrace;
  private final int maxDispatchBacklog;
  private final Executor dispatcher;
  private final ConnectionListener connectionListener;
  private final SSLContext sslContext;
  private final Supplier<? extends CompletionStage<String>> tokenSupplier;

  private ClientOptions(Builder b, List<URI> servers) {
    this.servers = List.copyOf(servers);
    this.reconnectDelayMin = b.reconnectDelayMin;
    this.reconnectDelayMax = b.reconnectDelayMax;
    this.maxReconnectAttempts = b.maxReconnectAttempts;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.offlineTimeout = b.offlineTimeout;
    this.publishBufferBytes = b.publishBufferBytes;
    this.heartbeatGrace = b.heartbeatGrace;
    this.maxDispatchBacklog = b.maxDispatchBacklog;
    this.dispatcher = b.dispatcher;
    this.connectionListener = b.connectionListener;
    this.sslContext = b.sslContext;
    this.tokenSupplier = b.tokenSupplier;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The servers, tried in turn: each connection attempt goes to the next one. */
  public List<URI> servers() {
    return servers;
  }

  /** The first reconnect delay cap; see {@link Builder#reconnectDelayMin(Duration)}. */
  public Duration reconnectDelayMin() {
    return reconnectDelayMin;
  }

  /** The largest reconnect delay. */
  public Duration reconnectDelayMax() {
    return reconnectDelayMax;
  }

  /**
   * Reconnect attempts in a row (after a failed attempt or a lost connection; reset by each successful connection)
   * before the client gives up and closes; {@code 0}: never reconnect; {@code -1}: never give up.
   */
  public int maxReconnectAttempts() {
    return maxReconnectAttempts;
  }

  /**
   * Time allowed for one connection attempt, from its start to {@code welcome}: opening the WebSocket (TCP, TLS, the
   * upgrade) and receiving {@code welcome} share this one deadline.
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Time allowed for the answer to a subscribe, unsubscribe or publish, counted from when it is sent (from the call,
   * when a connection is ready then).
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * How long a publish or subscribe made while no connection is ready (or left unsent when one dropped) waits for
   * the next connection before it fails with {@code timeout}. It is longer than the default
   * {@linkplain #reconnectDelayMax() largest reconnect delay}, so a publish outlives an outage of that length.
   */
  public Duration offlineTimeout() {
    return offlineTimeout;
  }

  /** Bytes of encoded publishes that may wait to be written (while disconnected or behind a slow socket). */
  public long publishBufferBytes() {
    return publishBufferBytes;
  }

  /** Added to the node's {@code heartbeat.interval_ms + heartbeat.timeout_ms} before a silent server is dropped. */
  public Duration heartbeatGrace() {
    return heartbeatGrace;
  }

  /**
   * Callbacks (deliveries above all) that may wait for the dispatcher. The client never stops reading the socket, so
   * past this bound a message is not queued: one of a plain topic or a pattern is dropped and counted
   * ({@link ClientStats#messagesDropped()}, and a warning is logged once per overload); a history topic's subscription
   * stops taking messages and, once the dispatcher is down to half, asks the node for everything after the last one
   * it queued, so nothing is lost there. Memory in the client stays bounded behind a slow handler.
   */
  public int maxDispatchBacklog() {
    return maxDispatchBacklog;
  }

  /** The executor of handlers, listeners and stage completions, or {@code null} for the default thread. */
  public Executor dispatcher() {
    return dispatcher;
  }

  /** A listener registered at creation, so it sees the first event, or {@code null}. */
  public ConnectionListener connectionListener() {
    return connectionListener;
  }

  /** The TLS context for {@code wss://} servers, or {@code null} for the JDK default. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Where tokens come from for a node that requires authentication, or {@code null} (anonymous). */
  public Supplier<? extends CompletionStage<String>> tokenSupplier() {
    return tokenSupplier;
  }

  /** Builds {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private final List<Object> servers = new ArrayList<>();
    private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
    private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
    private int maxReconnectAttempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration offlineTimeout = DEFAULT_OFFLINE_TIMEOUT;
    private long publishBufferBytes = DEFAULT_PUBLISH_BUFFER_BYTES;
    private Duration heartbeatGrace = DEFAULT_HEARTBEAT_GRACE;
    private int maxDispatchBacklog = DEFAULT_MAX_DISPATCH_BACKLOG;
    private Executor dispatcher;
    private ConnectionListener connectionListener;
    private SSLContext sslContext;
    private Supplier<? extends CompletionStage<String>> tokenSupplier;

    private Builder() {
    }

    /**
     * Sets the servers ({@code ws://} or {@code wss://} URLs; a URL without a path gets {@value #DEFAULT_PATH}).
     * Replaces earlier calls.
     */
    public Builder servers(String... urls) {
      servers.clear();
      servers.addAll(Arrays.asList(urls));
      return this;
    }

    /** Sets the servers; see {@link #servers(String...)}. */
    public Builder servers(List<URI> urls) {
      servers.clear();
      servers.addAll(urls);
      return this;
    }

    /**
     * Reconnect delays use exponential backoff with full jitter: before attempt {@code n} (from 0) the client waits a
     * random time between 0 and {@code min(reconnectDelayMax, reconnectDelayMin * 2^n)}.
     */
    public Builder reconnectDelayMin(Duration delay) {
      this.reconnectDelayMin = delay;
      return this;
    }

    public Builder reconnectDelayMax(Duration delay) {
      this.reconnectDelayMax = delay;
      return this;
    }

    /** See {@link ClientOptions#maxReconnectAttempts()}; {@code -1} (the default): reconnect forever. */
    public Builder maxReconnectAttempts(int attempts) {
      this.maxReconnectAttempts = attempts;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** See {@link ClientOptions#offlineTimeout()}. */
    public Builder offlineTimeout(Duration timeout) {
      this.offlineTimeout = timeout;
      return this;
    }

    public Builder publishBufferBytes(long bytes) {
      this.publishBufferBytes = bytes;
      return this;
    }

    public Builder heartbeatGrace(Duration grace) {
      this.heartbeatGrace = grace;
      return this;
    }

    /** See {@link ClientOptions#maxDispatchBacklog()}. */
    public Builder maxDispatchBacklog(int callbacks) {
      this.maxDispatchBacklog = callbacks;
      return this;
    }

    /**
     * The executor of user code (handlers, listeners, stage completions); tasks are handed to it one at a time, in
     * order, so a pool works too. It must not run tasks on the submitting thread: a direct executor would run user
     * code on the client's internal loop. Default: one daemon thread per client, ended by {@code close()}; an
     * executor given here is not shut down by the client.
     */
    public Builder dispatcher(Executor executor) {
      this.dispatcher = executor;
      return this;
    }

    public Builder connectionListener(ConnectionListener listener) {
      this.connectionListener = listener;
      return this;
    }

    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    /**
     * Authenticates every connection: the supplier is asked for a token (a JWT) before each connection attempt, and
     * again when the node asks for a {@code refresh} before the token expires; the token goes to the node in a
     * {@code hello} frame, first thing on the connection. Ask the identity provider there, asynchronously: the
     * supplier is called on the client's internal thread and must return at once. A failed stage fails that attempt
     * (the client retries with backoff). {@code null} (the default): no token; the client then sends a {@code hello}
     * without one, so that a node requiring a token refuses it at once ({@code connected()} fails with
     * {@code unauthorized}).
     */
    public Builder tokenSupplier(Supplier<? extends CompletionStage<String>> supplier) {
      this.tokenSupplier = supplier;
      return this;
    }

    /**
     * Checks the settings and builds the options.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public ClientOptions build() {
      List<URI> uris = new ArrayList<>();
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("servers: at least one server URL is required");
      }
      for (Object server : servers) {
        uris.add(checkServer(server));
      }
      positive("reconnectDelayMin", reconnectDelayMin);
      positive("reconnectDelayMax", reconnectDelayMax);
      if (reconnectDelayMin.compareTo(reconnectDelayMax) > 0) {
        throw new IllegalArgumentException("reconnectDelayMin (" + reconnectDelayMin
            + ") must not be greater than reconnectDelayMax (" + reconnectDelayMax + ")");
      }
      if (maxReconnectAttempts < -1) {
        throw new IllegalArgumentException("maxReconnectAttempts must be -1 (forever) or >= 0, was "
            + maxReconnectAttempts);
      }
      positive("connectTimeout", connectTimeout);
      positive("requestTimeout", requestTimeout);
      positive("offlineTimeout", offlineTimeout);
      if (publishBufferBytes <= 0) {
        throw new IllegalArgumentException("publishBufferBytes must be > 0, was " + publishBufferBytes);
      }
      if (heartbeatGrace == null || heartbeatGrace.isNegative()) {
        throw new IllegalArgumentException("heartbeatGrace must be >= 0, was " + heartbeatGrace);
      }
      if (maxDispatchBacklog < 2) {
        throw new IllegalArgumentException("maxDispatchBacklog must be >= 2, was " + maxDispatchBacklog);
      }
      return new ClientOptions(this, uris);
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + d);
      }
    }

    private static URI checkServer(Object server) {
      if (server == null) {
        throw new IllegalArgumentException("servers: a server URL is null");
      }
      URI uri;
      try {
        uri = server instanceof URI ? (URI) server : new URI(server.toString().trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("servers: not a URL: " + server + " (" + e.getReason() + ")");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ws") && !scheme.equals("wss")) {
        throw new IllegalArgumentException("servers: " + server + " must start with ws:// or wss://");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("servers: " + server + " has no host");
      }
      if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
        uri = uri.resolve(DEFAULT_PATH);
      }
      return uri;
    }
  }
}
