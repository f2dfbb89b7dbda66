package dev.switchboard.protocol;

/**
 * The topic grammar, shared by the broker and the clients.
 *
 * <p>A topic is one to {@value #MAX_SEGMENTS} segments joined by {@code .}, at most {@value #MAX_LENGTH} characters in
 * all. A segment is one or more of {@code A-Z a-z 0-9 _ - : @ =}. A <em>pattern</em> (subscribe only) may also have
 * segments that are exactly {@code *} (matches one segment) and a last segment that is exactly {@code >} (matches
 * one or more remaining segments). Other characters, {@code $} among them, are reserved.
 */
public final class Topics {
  public static final int MAX_LENGTH = 255;
  public static final int MAX_SEGMENTS = 16;
  public static final String ONE = "*";
  public static final String REST = ">";

  private Topics() {
  }

  /** Why {@code topic} is not a valid concrete topic, or {@code null} when it is. */
  public static String checkTopic(String topic) {
    return check(topic, false);
  }

  /** Why {@code pattern} is not a valid topic or pattern, or {@code null} when it is. */
  public static String checkPattern(String pattern) {
    return check(pattern, true);
  }

  /** Whether a valid subscription topic contains a wildcard segment. */
  public static boolean isPattern(String topic) {
    int n = topic.length();
    for (int i = 0; i < n; i++) {
      char c = topic.charAt(i);
      if ((c == '*' || c == '>') && (i == 0 || topic.charAt(i - 1) == '.') && (i + 1 == n || topic.charAt(i + 1) == '.')) {
        return true;
      }
    }
    return false;
  }

  /** Whether the concrete {@code topic} matches {@code pattern} (which may also be a concrete topic). */
  public static boolean matches(String pattern, String topic) {
    int p = 0;
    int t = 0;
    int pn = pattern.length();
    int tn = topic.length();
    while (p < pn && t < tn) {
      int pe = segmentEnd(pattern, p);
      int te = segmentEnd(topic, t);
      int plen = pe - p;
      if (plen == 1 && pattern.charAt(p) == '>') {
        return true;
      }
      boolean one = plen == 1 && pattern.charAt(p) == '*';
      if (!one && (plen != te - t || !pattern.regionMatches(p, topic, t, plen))) {
        return false;
      }
      p = pe + 1;
      t = te + 1;
    }
    return p >= pn && t >= tn;
  }

  private static int segmentEnd(String s, int from) {
    int i = s.indexOf('.', from);
    return i < 0 ? s.length() : i;
  }

  private static String check(String topic, boolean allowWildcards) {
    if (topic == null || topic.isEmpty()) {
      return "topic is empty";
    }
    if (topic.length() > MAX_LENGTH) {
      return "topic is longer than " + MAX_LENGTH + " characters";
    }
    int segments = 1;
    int start = 0;
    int n = topic.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || topic.charAt(i) == '.') {
        if (i == start) {
          return "topic has an empty segment";
        }
        if (i - start == 1 && (topic.charAt(start) == '*' || topic.charAt(start) == '>')) {
          if (!allowWildcards) {
            return "wildcards are allowed in subscriptions only";
          }
          if (topic.charAt(start) == '>' && i != n) {
            return "'>' must be the last segment";
          }
        }
        start = i + 1;
        if (i < n && ++segments > MAX_SEGMENTS) {
          return "topic has more than " + MAX_SEGMENTS + " segments";
        }
        continue;
      }
      char c = topic.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == ':' || c == '@' || c == '=';
      if (!ok) {
        boolean wildcardSegment = (c == '*' || c == '>') && i == start && (i + 1 == n || topic.charAt(i + 1) == '.');
        if (!wildcardSegment) {
          return "topic has a character outside A-Z a-z 0-9 _ - : @ = at position " + i;
        }
      }
    }
    return null;
  }
}
