package dev.switchboard.broker.auth;

import dev.switchboard.broker.security.ApiKeyFile;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The keys of the server API, as their SHA-256 digests: a key a request presents is hashed and compared with every
 * one of them in constant time ({@link MessageDigest#isEqual}), so neither the time of an answer nor the length of the
 * key tells how much of a guess was right. The keys themselves are not kept. Thread-safe.
 *
 * <p>The node reads its key file again every {@link #RELOAD_MS} ({@link #watch}): a key added there works, and a key
 * removed stops working, within that time, without a restart. A file that has become unreadable or invalid keeps the
 * keys in use, with a WARNING (once per problem).
 */
public final class ApiKeys {
  private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
  /** How often the key file is read again. */
  public static final long RELOAD_MS = 2_000;

  /** What a request's key is. */
  public enum Check { MISSING, WRONG, VALID }

  private volatile List<byte[]> digests;
  /** The last problem the file had ({@link #reload}), so that it is logged once; null while it is fine. */
  private String problem;

  ApiKeys(List<String> keys) {
    this.digests = digests(keys);
  }

  /** The keys of {@code file} ({@link ApiKeyFile}); throws {@link IllegalArgumentException} naming the setting. */
  static ApiKeys read(String file) {
    return new ApiKeys(ApiKeyFile.read(file));
  }

  /** The keys of {@code file}, read again every {@link #RELOAD_MS} on a worker thread while {@code vertx} runs. */
  static ApiKeys watch(Vertx vertx, String file) {
    ApiKeys keys = read(file);
    vertx.setPeriodic(RELOAD_MS, RELOAD_MS, t -> vertx.executeBlocking(() -> {
      keys.reload(file);
      return null;
    }, false));
    return keys;
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

  /** Takes the keys {@code file} holds now; keeps those in use when it cannot be read or is not valid. */
  synchronized void reload(String file) {
    List<byte[]> now;
    try {
      now = digests(ApiKeyFile.read(file));
    } catch (IllegalArgumentException e) {
      if (!Objects.equals(problem, e.getMessage())) {
        problem = e.getMessage();
        LOG.log(Level.WARNING, "server API keys not reloaded, the " + digests.size() + " in use stay: "
            + e.getMessage());
      }
      return;
    }
    problem = null;
    if (!same(now, digests)) {
      digests = now;
      LOG.info(() -> "server API keys reloaded from " + file + ": " + now.size() + " key(s)");
    }
  }

  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!MessageDigest.isEqual(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<byte[]> digests(List<String> keys) {
    return keys.stream().map(ApiKeys::sha256).toList();
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
