package dev.switchboard.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/**
 * Signs test tokens the way an identity provider would: HS256 with a secret, or RS256 / ES256 with a key pair made
 * here; {@link #keyFile} writes what the node is configured with (the secret, or the public key as PEM).
 */
public final class Tokens {
  public final String algorithm;
  private final String nodeKey;
  private final JWTAuth signer;

  private Tokens(Vertx vertx, String algorithm, String signingKey, String nodeKey) {
    this.algorithm = algorithm;
    this.nodeKey = nodeKey;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(Buffer.buffer(signingKey))));
  }

  public static Tokens hs256(Vertx vertx, String secret) {
    return new Tokens(vertx, "HS256", secret, secret);
  }

  public static Tokens rs256(Vertx vertx) {
    return pair(vertx, "RS256", "RSA", null);
  }

  public static Tokens es256(Vertx vertx) {
    return pair(vertx, "ES256", "EC", new ECGenParameterSpec("secp256r1"));
  }

  private static Tokens pair(Vertx vertx, String algorithm, String kind, ECGenParameterSpec curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
      if (curve != null) {
        generator.initialize(curve);
      } else {
        generator.initialize(2048);
      }
      KeyPair pair = generator.generateKeyPair();
      return new Tokens(vertx, algorithm, pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + kind + "-----\n";
  }

  /** Writes the node's side of the key (the secret, or the public key PEM) to a file in {@code dir}. */
  public Path keyFile(Path dir) {
    try {
      return Files.writeString(Files.createTempFile(dir, "key", ".pem"), nodeKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A token for {@code user} granting these patterns, expiring in {@code seconds} (negative: already expired). */
  public String token(String user, List<String> publish, List<String> subscribe, long seconds) {
    JsonObject claims = new JsonObject().put("sub", user).put("publish", new JsonArray(publish))
        .put("subscribe", new JsonArray(subscribe))
        .put("exp", System.currentTimeMillis() / 1000 + seconds);
    return sign(claims);
  }

  /** Signs any claims as they are (no exp added). */
  public String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }
}
