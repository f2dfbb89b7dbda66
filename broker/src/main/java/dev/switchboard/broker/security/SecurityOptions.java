package dev.switchboard.broker.security;

import dev.switchboard.protocol.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Authentication, browser origins, TLS and the limits that protect a node from its clients, with their defaults.
 * Part of {@link dev.switchboard.broker.BrokerOptions} ({@code options.security()}); the settings are listed with
 * the others ({@code --help}, docs/operations.md "Security"). {@link #validate()} names the setting that is wrong.
 */
public final class SecurityOptions {
  /** Every client is accepted without a token and may publish and subscribe anything: a local or trusted node. */
  public static final String AUTH_ANONYMOUS = "anonymous";
  /** Every connection must present a valid JWT (handshake or {@code hello}); its claims grant topics. */
  public static final String AUTH_REQUIRED = "required";
  public static final String DEFAULT_AUTH = AUTH_ANONYMOUS;
  public static final List<String> ALGORITHMS = List.of("HS256", "RS256", "ES256");
  public static final String DEFAULT_AUTH_ALGORITHM = "HS256";
  public static final String DEFAULT_USER_CLAIM = "sub";
  public static final String DEFAULT_PUBLISH_CLAIM = "publish";
  public static final String DEFAULT_SUBSCRIBE_CLAIM = "subscribe";
  public static final long DEFAULT_AUTH_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_AUTH_REFRESH_MS = 30_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 100;
  /** Rates are off by default (0): a trusted or benchmarked node is not slowed; set them on a public node. */
  public static final int DEFAULT_PUBLISH_RATE = 0;
  public static final int DEFAULT_USER_PUBLISH_RATE = 0;
  public static final int DEFAULT_SUBSCRIBE_RATE = 0;
  public static final int DEFAULT_MAX_TOPIC_LENGTH = Topics.MAX_LENGTH;
  public static final int DEFAULT_MAX_TOPIC_DEPTH = Topics.MAX_SEGMENTS;

  private String auth = DEFAULT_AUTH;
  private String authAlgorithm = DEFAULT_AUTH_ALGORITHM;
  private String authSecretFile = "";
  private String authPublicKeyFile = "";
  private String authIssuer = "";
  private String authAudience = "";
  private String userClaim = DEFAULT_USER_CLAIM;
  private String publishClaim = DEFAULT_PUBLISH_CLAIM;
  private String subscribeClaim = DEFAULT_SUBSCRIBE_CLAIM;
  private long authTimeoutMs = DEFAULT_AUTH_TIMEOUT_MS;
  private long authRefreshMs = DEFAULT_AUTH_REFRESH_MS;
  private List<String> allowedOrigins = List.of();
  private String tlsCertFile = "";
  private String tlsKeyFile = "";
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
  private int publishRate = DEFAULT_PUBLISH_RATE;
  private int userPublishRate = DEFAULT_USER_PUBLISH_RATE;
  private int subscribeRate = DEFAULT_SUBSCRIBE_RATE;
  private int maxTopicLength = DEFAULT_MAX_TOPIC_LENGTH;
  private int maxTopicDepth = DEFAULT_MAX_TOPIC_DEPTH;
  private String apiKeyFile = "";

  /** {@value #AUTH_ANONYMOUS} (the default) or {@value #AUTH_REQUIRED}. */
  public String auth() {
    return auth;
  }

  public SecurityOptions auth(String auth) {
    this.auth = auth;
    return this;
  }

  public boolean authRequired() {
    return AUTH_REQUIRED.equals(auth);
  }

  /** How tokens are signed: HS256 (a shared secret) or RS256 / ES256 (a public key). */
  public String authAlgorithm() {
    return authAlgorithm;
  }

  public SecurityOptions authAlgorithm(String algorithm) {
    this.authAlgorithm = algorithm;
    return this;
  }

  /** HS256: a file holding the shared secret (its bytes, without a trailing line break). */
  public String authSecretFile() {
    return authSecretFile;
  }

  public SecurityOptions authSecretFile(String file) {
    this.authSecretFile = file;
    return this;
  }

  /** RS256 / ES256: a PEM file with the public key ({@code BEGIN PUBLIC KEY}) or a certificate holding it. */
  public String authPublicKeyFile() {
    return authPublicKeyFile;
  }

  public SecurityOptions authPublicKeyFile(String file) {
    this.authPublicKeyFile = file;
    return this;
  }

  /** When not empty, a token's {@code iss} must be this. */
  public String authIssuer() {
    return authIssuer;
  }

  public SecurityOptions authIssuer(String issuer) {
    this.authIssuer = issuer;
    return this;
  }

  /** When not empty, a token's {@code aud} must include this. */
  public String authAudience() {
    return authAudience;
  }

  public SecurityOptions authAudience(String audience) {
    this.authAudience = audience;
    return this;
  }

  /** The claim naming the user (connections per user, publish rate per user, logs). */
  public String userClaim() {
    return userClaim;
  }

  public SecurityOptions userClaim(String claim) {
    this.userClaim = claim;
    return this;
  }

  /** The claim listing the topic patterns the token may publish to (an array of strings, or one string). */
  public String publishClaim() {
    return publishClaim;
  }

  public SecurityOptions publishClaim(String claim) {
    this.publishClaim = claim;
    return this;
  }

  /** The claim listing the topic patterns the token may subscribe to. */
  public String subscribeClaim() {
    return subscribeClaim;
  }

  public SecurityOptions subscribeClaim(String claim) {
    this.subscribeClaim = claim;
    return this;
  }

  /** With authentication required: how long a connection may go without a valid {@code hello} (4005 after). */
  public long authTimeoutMs() {
    return authTimeoutMs;
  }

  public SecurityOptions authTimeoutMs(long ms) {
    this.authTimeoutMs = ms;
    return this;
  }

  /** How long before its token expires a connection is sent {@code refresh}. */
  public long authRefreshMs() {
    return authRefreshMs;
  }

  public SecurityOptions authRefreshMs(long ms) {
    this.authRefreshMs = ms;
    return this;
  }

  /**
   * Origins ({@code https://app.example.com}, scheme://host[:port]) whose pages may open a WebSocket; empty (the
   * default): any. A handshake without an {@code Origin} header (not a browser) is always allowed.
   */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public SecurityOptions allowedOrigins(List<String> origins) {
    List<String> normalized = new ArrayList<>();
    for (String origin : origins) {
      normalized.add(normalizeOrigin(origin));
    }
    this.allowedOrigins = List.copyOf(normalized);
    return this;
  }

  /** An origin as compared: lower case, without a trailing slash. */
  public static String normalizeOrigin(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  /** TLS: the server's certificate chain, PEM. With {@link #tlsKeyFile()} the node serves wss:// and https://. */
  public String tlsCertFile() {
    return tlsCertFile;
  }

  public SecurityOptions tlsCertFile(String file) {
    this.tlsCertFile = file;
    return this;
  }

  /** TLS: the server's private key, PEM (PKCS#8 or PKCS#1). */
  public String tlsKeyFile() {
    return tlsKeyFile;
  }

  public SecurityOptions tlsKeyFile(String file) {
    this.tlsKeyFile = file;
    return this;
  }

  public boolean tls() {
    return !tlsCertFile.isEmpty();
  }

  /** WebSocket connections one node holds at most; further upgrades are refused with HTTP 503. */
  public int maxConnections() {
    return maxConnections;
  }

  public SecurityOptions maxConnections(int max) {
    this.maxConnections = max;
    return this;
  }

  /** Connections one user holds on one node at most (4007 beyond); 0: no limit. */
  public int maxConnectionsPerUser() {
    return maxConnectionsPerUser;
  }

  public SecurityOptions maxConnectionsPerUser(int max) {
    this.maxConnectionsPerUser = max;
    return this;
  }

  /** Publishes a second one connection may send (a burst of as many); 0: no limit. */
  public int publishRate() {
    return publishRate;
  }

  public SecurityOptions publishRate(int rate) {
    this.publishRate = rate;
    return this;
  }

  /** Publishes a second one user may send through all its connections to one node; 0: no limit. */
  public int userPublishRate() {
    return userPublishRate;
  }

  public SecurityOptions userPublishRate(int rate) {
    this.userPublishRate = rate;
    return this;
  }

  /** Subscribe and unsubscribe frames a second one connection may send; 0: no limit. */
  public int subscribeRate() {
    return subscribeRate;
  }

  public SecurityOptions subscribeRate(int rate) {
    this.subscribeRate = rate;
    return this;
  }

  /** Longest topic or pattern accepted, in characters (at most the grammar's 255). */
  public int maxTopicLength() {
    return maxTopicLength;
  }

  public SecurityOptions maxTopicLength(int length) {
    this.maxTopicLength = length;
    return this;
  }

  /** Most segments in a topic or pattern (at most the grammar's 16). */
  public int maxTopicDepth() {
    return maxTopicDepth;
  }

  public SecurityOptions maxTopicDepth(int depth) {
    this.maxTopicDepth = depth;
    return this;
  }

  /**
   * The server API's keys ({@code /api/v1/}, header {@code X-API-Key}): a file of one or more keys, see
   * {@link ApiKeyFile}; empty (the default): the server API is off.
   */
  public String apiKeyFile() {
    return apiKeyFile;
  }

  public SecurityOptions apiKeyFile(String file) {
    this.apiKeyFile = file;
    return this;
  }

  public boolean serverApi() {
    return !apiKeyFile.isEmpty();
  }

  /** Checks every setting; the message of the exception names the one that is wrong. */
  public SecurityOptions validate() {
    require(AUTH_ANONYMOUS.equals(auth) || AUTH_REQUIRED.equals(auth), "auth",
        "must be " + AUTH_ANONYMOUS + " or " + AUTH_REQUIRED);
    require(ALGORITHMS.contains(authAlgorithm), "auth-algorithm", "must be one of " + String.join(", ", ALGORITHMS));
    if (authRequired()) {
      if (authAlgorithm.equals("HS256")) {
        requireFile(authSecretFile, "auth-secret-file", "is required for auth " + AUTH_REQUIRED + " with HS256");
      } else {
        requireFile(authPublicKeyFile, "auth-public-key-file",
            "is required for auth " + AUTH_REQUIRED + " with " + authAlgorithm);
      }
    }
    require(!userClaim.isBlank(), "auth-claim-user", "must not be empty");
    require(!publishClaim.isBlank(), "auth-claim-publish", "must not be empty");
    require(!subscribeClaim.isBlank(), "auth-claim-subscribe", "must not be empty");
    require(authTimeoutMs >= 100, "auth-timeout-ms", "must be at least 100");
    require(authRefreshMs >= 0, "auth-refresh-ms", "must not be negative");
    for (String origin : allowedOrigins) {
      require(origin.equals("null") || origin.matches("[a-z][a-z0-9+.-]*://[^/?#\\s]+"), "allowed-origins",
          "'" + origin + "' is not scheme://host[:port]");
    }
    require(tlsCertFile.isEmpty() == tlsKeyFile.isEmpty(), tlsCertFile.isEmpty() ? "tls-cert-file" : "tls-key-file",
        "tls-cert-file and tls-key-file go together");
    if (tls()) {
      requireFile(tlsCertFile, "tls-cert-file", "");
      requireFile(tlsKeyFile, "tls-key-file", "");
    }
    require(maxConnections >= 1, "max-connections", "must be at least 1");
    require(maxConnectionsPerUser >= 0, "max-connections-per-user", "must not be negative");
    require(publishRate >= 0, "publish-rate", "must not be negative");
    require(userPublishRate >= 0, "user-publish-rate", "must not be negative");
    require(subscribeRate >= 0, "subscribe-rate", "must not be negative");
    require(maxTopicLength >= 1 && maxTopicLength <= Topics.MAX_LENGTH, "max-topic-length",
        "must be between 1 and " + Topics.MAX_LENGTH);
    require(maxTopicDepth >= 1 && maxTopicDepth <= Topics.MAX_SEGMENTS, "max-topic-depth",
        "must be between 1 and " + Topics.MAX_SEGMENTS);
    if (serverApi()) {
      ApiKeyFile.read(apiKeyFile);
    }
    return this;
  }

  private static void requireFile(String file, String setting, String whenMissing) {
    require(!file.isEmpty(), setting, whenMissing);
    require(Files.isReadable(Path.of(file)), setting, "cannot read " + file);
  }

  private static void require(boolean ok, String setting, String message) {
    if (!ok) {
      throw new IllegalArgumentException(setting + ": " + message);
    }
  }
}
