package dev.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags: {@code --key value}, {@code --key=value}, or a bare {@code --flag}; words before the first flag
 * are positional (the scenario). Every read marks the key as known; {@link #rejectUnknown()} names any other.
 */
public final class BenchArgs {
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  private BenchArgs() {
  }

  public static BenchArgs parse(String[] args) {
    BenchArgs parsed = new BenchArgs();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (!parsed.values.isEmpty()) {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'");
        }
        parsed.positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        parsed.values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        parsed.values.put(arg.substring(2), args[++i]);
      } else {
        parsed.values.put(arg.substring(2), null);
      }
    }
    return parsed;
  }

  public List<String> positional() {
    return positional;
  }

  public boolean has(String key) {
    read.add(key);
    return values.containsKey(key);
  }

  /** A bare flag (or {@code --flag true|false}). */
  public boolean flag(String key) {
    if (!has(key)) {
      return false;
    }
    String v = values.get(key);
    if (v == null || v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
  }

  public String string(String key, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException(key + ": needs a value");
    }
    return v;
  }

  public int integer(String key, int fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
    }
  }

  public double number(String key, double fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
    }
  }

  /** {@code 10s}, {@code 500ms}, {@code 2m}, or a plain number of seconds. */
  public Duration duration(String key, Duration fallback) {
    String v = string(key, null);
    return v == null ? fallback : parseDuration(key, v);
  }

  static Duration parseDuration(String key, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a duration (10s, 500ms, 2m)");
    }
  }

  /** Fails naming the first flag nothing asked for. */
  public void rejectUnknown() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        throw new IllegalArgumentException("unknown flag --" + key + " (see --help)");
      }
    }
  }
}
