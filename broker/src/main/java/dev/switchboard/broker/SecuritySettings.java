package dev.switchboard.broker;

import dev.switchboard.broker.Settings.Setting;
import dev.switchboard.broker.security.SecurityOptions;

import java.util.List;

/** The settings of {@link SecurityOptions}, in the one table of {@link Settings}. */
final class SecuritySettings {
  static final List<Setting> ALL = List.of(
      text("auth", "anonymous: no token needed, everything allowed; required: a JWT per connection",
          SecurityOptions::auth, SecurityOptions::auth),
      text("auth-algorithm", "how tokens are signed: HS256 (secret), RS256 or ES256 (public key)",
          SecurityOptions::authAlgorithm, SecurityOptions::authAlgorithm),
      text("auth-secret-file", "HS256: file holding the shared secret", SecurityOptions::authSecretFile,
          SecurityOptions::authSecretFile),
      text("auth-public-key-file", "RS256/ES256: PEM file with the public key (or a certificate)",
          SecurityOptions::authPublicKeyFile, SecurityOptions::authPublicKeyFile),
      text("auth-issuer", "a token's iss must be this (empty: not checked)", SecurityOptions::authIssuer,
          SecurityOptions::authIssuer),
      text("auth-audience", "a token's aud must include this (empty: not checked)", SecurityOptions::authAudience,
          SecurityOptions::authAudience),
      text("auth-claim-user", "claim naming the user", SecurityOptions::userClaim, SecurityOptions::userClaim),
      text("auth-claim-publish", "claim listing the topic patterns a token may publish to",
          SecurityOptions::publishClaim, SecurityOptions::publishClaim),
      text("auth-claim-subscribe", "claim listing the topic patterns a token may subscribe to",
          SecurityOptions::subscribeClaim, SecurityOptions::subscribeClaim),
      number("auth-timeout-ms", "close a connection without a valid hello after this many ms (4005)",
          SecurityOptions::authTimeoutMs, (o, v) -> o.authTimeoutMs(v)),
      number("auth-refresh-ms", "send refresh this many ms before a connection's token expires",
          SecurityOptions::authRefreshMs, (o, v) -> o.authRefreshMs(v)),
      new Setting("allowed-origins", "browser origins allowed to connect, scheme://host[:port],...; empty = any",
          o -> String.join(",", o.security().allowedOrigins()),
          (o, v) -> o.security().allowedOrigins(Settings.list(v))),
      text("tls-cert-file", "PEM certificate chain: serve wss:// and https://", SecurityOptions::tlsCertFile,
          SecurityOptions::tlsCertFile),
      text("tls-key-file", "PEM private key of the certificate", SecurityOptions::tlsKeyFile,
          SecurityOptions::tlsKeyFile),
      number("max-connections", "WebSocket connections per node (HTTP 503 beyond)", SecurityOptions::maxConnections,
          (o, v) -> o.maxConnections((int) v)),
      number("max-connections-per-user", "connections per user per node, 0 = no limit (4007 beyond)",
          SecurityOptions::maxConnectionsPerUser, (o, v) -> o.maxConnectionsPerUser((int) v)),
      number("publish-rate", "publishes per second per connection, 0 = no limit (rate_limited beyond)",
          SecurityOptions::publishRate, (o, v) -> o.publishRate((int) v)),
      number("user-publish-rate", "publishes per second per user per node, 0 = no limit",
          SecurityOptions::userPublishRate, (o, v) -> o.userPublishRate((int) v)),
      number("subscribe-rate", "subscribes and unsubscribes per second per connection, 0 = no limit",
          SecurityOptions::subscribeRate, (o, v) -> o.subscribeRate((int) v)),
      number("max-topic-length", "longest topic or pattern, in characters (at most 255)",
          SecurityOptions::maxTopicLength, (o, v) -> o.maxTopicLength((int) v)),
      number("max-topic-depth", "most segments in a topic or pattern (at most 16)", SecurityOptions::maxTopicDepth,
          (o, v) -> o.maxTopicDepth((int) v)),
      text("api-key-file", "file of server API keys (/api/v1/, header X-API-Key), one a line; none: API off",
          SecurityOptions::apiKeyFile, SecurityOptions::apiKeyFile));

  private SecuritySettings() {
  }

  private interface Getter {
    Object get(SecurityOptions o);
  }

  private interface TextSetter {
    void set(SecurityOptions o, String value);
  }

  private interface NumberSetter {
    void set(SecurityOptions o, long value);
  }

  private static Setting text(String key, String help, Getter get, TextSetter set) {
    return new Setting(key, help, o -> get.get(o.security()), (o, v) -> set.set(o.security(), v));
  }

  private static Setting number(String key, String help, Getter get, NumberSetter set) {
    return new Setting(key, help, o -> get.get(o.security()), (o, v) -> set.set(o.security(),
        Settings.integer(key, v)));
  }
}
