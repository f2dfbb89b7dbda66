package dev.switchboard.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;

/**
 * The settings of a {@link SwitchboardAdmin}:
 * {@code AdminOptions.builder().baseUrl("http://host:8080").apiKey(key).build()}. Every setting but the base URL and
 * the key has a default, given by the {@code DEFAULT_*} constants; {@link Builder#build()} checks them and names the
 * setting in its error.
 */
public final class AdminOptions {
  /**
   * How long a call waits for its answer. Longer than the node's own bound on {@code disconnect} and
   * {@code unsubscribe} (5 s for every member to answer).
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final URI baseUrl;
  private final String apiKey;
  private final Duration requestTimeout;
  private final Duration connectTimeout;
  private final HttpClient httpClient;

  private AdminOptions(Builder b, URI baseUrl) {
    this.baseUrl = baseUrl;
    this.apiKey = b.apiKey;
    this.requestTimeout = b.requestTimeout;
    this.connectTimeout = b.connectTimeout;
    this.httpClient = b.httpClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The node (or the load balancer in front of the nodes): {@code http(s)://host:port}, without {@code /api/v1}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The key sent in {@code X-API-Key}. */
  public String apiKey() {
    return apiKey;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The HTTP client to use; null: the admin client makes its own. */
  public HttpClient httpClient() {
    return httpClient;
  }

  @Override
  public String toString() {
    return "AdminOptions[baseUrl=" + baseUrl + ", requestTimeout=" + requestTimeout + "]"; // never the key
  }

  /** Builds {@link AdminOptions}; not thread-safe. */
  public static final class Builder {
    private String baseUrl;
    private String apiKey;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private HttpClient httpClient;

    private Builder() {
    }

    /** Required: {@code http://host:port} or {@code https://host:port}, optionally with a path prefix. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** Required: one of the keys of the node's {@code --api-key-file}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** An HTTP client of the application's (its executor, proxy, TLS); its own connect timeout then applies. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public AdminOptions build() {
      require(baseUrl != null && !baseUrl.isBlank(), "baseUrl", "is required");
      URI uri;
      try {
        uri = URI.create(baseUrl.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl: '" + baseUrl + "' is not a URL", e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      require(scheme.equals("http") || scheme.equals("https"), "baseUrl", "must be an http:// or https:// URL");
      require(uri.getHost() != null, "baseUrl", "has no host");
      require(uri.getQuery() == null && uri.getFragment() == null, "baseUrl", "must have no query or fragment");
      require(apiKey != null && !apiKey.isBlank(), "apiKey", "is required");
      require(apiKey.strip().equals(apiKey) && apiKey.chars().noneMatch(Character::isISOControl), "apiKey",
          "must have no whitespace around it and no control character");
      requirePositive(requestTimeout, "requestTimeout");
      requirePositive(connectTimeout, "connectTimeout");
      return new AdminOptions(this, uri);
    }

    private static void requirePositive(Duration d, String setting) {
      require(d != null && !d.isNegative() && !d.isZero(), setting, "must be positive");
    }

    private static void require(boolean ok, String setting, String message) {
      if (!ok) {
        throw new IllegalArgumentException(setting + ": " + message);
      }
    }
  }
}
