package dev.switchboard.broker.auth;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks a client's JWT with vertx-auth-jwt (signature with the configured HS256 secret or RS256 / ES256 public
 * key, and issuer and audience when configured) and reads who it names and what it grants. Expiry is checked here,
 * not by the library, so that an expired token can be told from a forged one: the first is worth a reconnect with
 * a fresh token (4004), the second is not (4500).
 */
public final class TokenVerifier {
  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());
  /** Longest token looked at; a longer one is refused without parsing. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** A verified token: its user, its grants, and when it expires (epoch ms; {@link Long#MAX_VALUE}: never). */
  public record Identity(String user, Grants grants, long expiresAtMs) {
  }

  /** Why a token was refused; {@code expired}: it was valid but is past its {@code exp}. */
  public static final class Refused extends Exception {
    public final boolean expired;

    Refused(String message, boolean expired) {
      super(message, null, false, false);
      this.expired = expired;
    }
  }

  private final JWTAuth auth;
  private final SecurityOptions options;

  private TokenVerifier(JWTAuth auth, SecurityOptions options) {
    this.auth = auth;
    this.options = options;
  }

  /** A verifier for the node's key; fails naming the setting when the key file cannot be read or parsed. */
  static TokenVerifier create(Vertx vertx, SecurityOptions options) {
    String setting = options.authAlgorithm().equals("HS256") ? "auth-secret-file" : "auth-public-key-file";
    String file = setting.equals("auth-secret-file") ? options.authSecretFile() : options.authPublicKeyFile();
    Buffer key;
    try {
      String text = Files.readString(Path.of(file));
      key = Buffer.buffer(setting.equals("auth-secret-file") ? text.stripTrailing() : text);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file + " (" + e + ")", e);
    }
    JWTOptions jwt = new JWTOptions().setIgnoreExpiration(true);
    if (!options.authIssuer().isEmpty()) {
      jwt.setIssuer(options.authIssuer());
    }
    if (!options.authAudience().isEmpty()) {
      jwt.addAudience(options.authAudience());
    }
    try {
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().setJWTOptions(jwt)
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm(options.authAlgorithm()).setBuffer(key)));
      return new TokenVerifier(auth, options);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(setting + ": not a usable " + options.authAlgorithm() + " key in " + file
          + " (" + e.getMessage() + ")", e);
    }
  }

  /** The identity a token names, or a failed future with {@link Refused}. */
  public Future<Identity> verify(String token, long nowMs) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new Refused("no token", false));
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(new Refused("token longer than " + MAX_TOKEN_CHARS + " characters", false));
    }
    Future<io.vertx.ext.auth.User> checked;
    try {
      checked = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(new Refused("invalid token: " + e.getMessage(), false));
    }
    return checked.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new Refused("invalid token: " + ar.cause().getMessage(), false));
      }
      try {
        // The library moves exp (and iat, nbf) from the claims to the user's attributes.
        io.vertx.ext.auth.User user = ar.result();
        Object exp = user.attributes().getValue("exp", user.principal().getValue("exp"));
        return Future.succeededFuture(identity(user.principal(), exp, nowMs));
      } catch (Refused e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Identity identity(JsonObject claims, Object exp, long nowMs) throws Refused {
    Object user = claims.getValue(options.userClaim());
    if (!(user instanceof String) || ((String) user).isEmpty() || ((String) user).length() > 256) {
      throw new Refused("claim '" + options.userClaim() + "' must be a string of 1 to 256 characters", false);
    }
    long expiresAtMs = Long.MAX_VALUE;
    if (exp != null) {
      if (!(exp instanceof Number)) {
        throw new Refused("claim 'exp' must be a number", false);
      }
      double seconds = ((Number) exp).doubleValue();
      expiresAtMs = seconds >= Long.MAX_VALUE / 1000.0 ? Long.MAX_VALUE : (long) (seconds * 1000);
      if (expiresAtMs <= nowMs) {
        throw new Refused("token expired", true);
      }
    }
    return new Identity((String) user, Grants.of(patterns(claims, options.publishClaim()),
        patterns(claims, options.subscribeClaim())), expiresAtMs);
  }

  /** The valid patterns of a claim (an array of strings, or one string); others are left out. */
  private static List<String> patterns(JsonObject claims, String claim) {
    Object value = claims.getValue(claim);
    List<Object> raw = value instanceof JsonArray array ? array.getList() : value == null ? List.of() : List.of(value);
    List<String> out = new ArrayList<>();
    for (Object item : raw) {
      if (item instanceof String pattern && Topics.checkPattern(pattern) == null) {
        out.add(pattern);
      } else {
        LOG.log(Level.FINE, () -> "ignoring an invalid pattern in claim '" + claim + "': " + item);
      }
    }
    return out;
  }
}
