package dev.switchboard.broker.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;

/** The frames of authentication: {@code authenticated} (a {@code hello} was accepted) and {@code refresh}. */
public final class AuthFrames {
  private AuthFrames() {
  }

  /** Answers an accepted {@code hello}; {@code user} null on an anonymous node; expiry omitted when the token has none. */
  public static byte[] authenticated(String id, String user, long expiresAtMs) {
    return utf8("{\"type\":\"authenticated\"" + (id == null ? "" : ",\"id\":" + quote(id))
        + (user == null ? "" : ",\"user\":" + quote(user))
        + (expiresAtMs == Long.MAX_VALUE ? "" : ",\"expires_at_ms\":" + expiresAtMs) + "}");
  }

  /** The token expires at {@code expiresAtMs}: send a {@code hello} with a new one before, or be closed (4004). */
  public static byte[] refresh(long expiresAtMs) {
    return utf8("{\"type\":\"refresh\",\"expires_at_ms\":" + expiresAtMs + "}");
  }

  private static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
