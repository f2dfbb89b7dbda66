package dev.switchboard.broker.auth;

import dev.switchboard.broker.security.ApiKeyFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The keys of the server API, as their SHA-256 digests: a key a request presents is hashed and compared with every
 * one of them in constant time ({@link MessageDigest#isEqual}), so neither the time of an answer nor the length of the
 * key tells how much of a guess was right. The keys themselves are not kept. Thread-safe.
 */
public final class ApiKeys {
  /** What a request's key is. */
  public enum Check { MISSING, WRONG, VALID }

  private final List<byte[]> digests;

  ApiKeys(List<String> keys) {
    this.digests = keys.stream().map(ApiKeys::sha256).toList();
  }

  /** The keys of {@code file} ({@link ApiKeyFile}); throws {@link IllegalArgumentException} naming the setting. */
  static ApiKeys read(String file) {
    return new ApiKeys(ApiKeyFile.read(file));
  }

  /** Whether {@code presented} (a header's value; null: none) is one of the keys. */
  public Check check(String presented) {
    if (presented == null || presented.isBlank()) {
      return Check.MISSING;
    }
    byte[] digest = sha256(presented.strip());
    boolean valid = false;
    for (byte[] known : digests) {
      valid |= MessageDigest.isEqual(known, digest);
    }
    return valid ? Check.VALID : Check.WRONG;
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
