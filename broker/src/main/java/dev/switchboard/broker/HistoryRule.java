package dev.switchboard.broker;

import dev.switchboard.protocol.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the topics a pattern matches history topics: the last {@code size} messages of each, none older than
 * {@code ttlSeconds}, are kept in the cluster and can be recovered. Written {@code pattern/size/ttl}, e.g.
 * {@code chat.>/1000/5m} (ttl in s, m or h); a list separates rules with commas.
 */
public record HistoryRule(String pattern, int size, int ttlSeconds) {
  public static final int MAX_SIZE = 1_000_000;
  public static final int MAX_TTL_SECONDS = 7 * 24 * 3600;

  public HistoryRule {
    String problem = Topics.checkPattern(pattern);
    if (problem != null) {
      throw new IllegalArgumentException("'" + pattern + "' is not a topic or pattern: " + problem);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
    }
    if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new IllegalArgumentException("time to live must be between 1s and " + MAX_TTL_SECONDS / 3600 + "h");
    }
  }

  /** Whether {@code topic} falls under this rule. */
  public boolean matches(String topic) {
    return Topics.matches(pattern, topic);
  }

  /** One rule, {@code pattern/size/ttl}. */
  public static HistoryRule parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("'" + text + "' is not pattern/size/ttl, e.g. chat.>/1000/5m");
    }
    int size;
    try {
      size = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + parts[1] + "' is not a size");
    }
    return new HistoryRule(parts[0], size, seconds(parts[2]));
  }

  /** Rules separated by commas; an empty text is no rule. */
  public static List<HistoryRule> parseList(String text) {
    List<HistoryRule> rules = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        rules.add(parse(part));
      }
    }
    return rules;
  }

  @Override
  public String toString() {
    return pattern + "/" + size + "/" + ttlSeconds + "s";
  }

  private static int seconds(String ttl) {
    if (ttl.length() < 2) {
      throw new IllegalArgumentException("'" + ttl + "' is not a time to live such as 30s, 5m or 2h");
    }
    int unit;
    switch (ttl.charAt(ttl.length() - 1)) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      default:
        throw new IllegalArgumentException("'" + ttl + "' is not a time to live such as 30s, 5m or 2h");
    }
    try {
      long seconds = Long.parseLong(ttl.substring(0, ttl.length() - 1)) * unit;
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, seconds));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + ttl + "' is not a time to live such as 30s, 5m or 2h");
    }
  }
}
