package dev.switchboard.broker.http;

import io.vertx.core.MultiMap;

/**
 * The query parameters of a server API {@code GET}: each given at most once, read by name; every problem an
 * {@code invalid_field} {@link ApiRefusal} naming the parameter.
 */
final class ApiQuery {
  private final MultiMap params;

  ApiQuery(MultiMap params) {
    this.params = params;
  }

  /** The parameter {@code name}: null when absent (or empty and optional); refused when required and absent. */
  String text(String name, boolean required, int max) {
    if (params.getAll(name).size() > 1) {
      throw ApiRefusal.field(name, "is given more than once");
    }
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      if (required) {
        throw ApiRefusal.field(name, "is required");
      }
      return null;
    }
    if (value.length() > max) {
      throw ApiRefusal.field(name, "is longer than " + max + " characters");
    }
    return value;
  }

  /** The whole number {@code name}, from {@code min} to {@code max}; {@code otherwise} when absent. */
  long number(String name, long min, long max, long otherwise) {
    String value = text(name, false, 20);
    if (value == null) {
      return otherwise;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiRefusal.field(name, "must be a whole number from " + min + " to " + max);
  }

  /** The parameter {@code name}, one of {@code allowed}; the first of them when absent. */
  String choice(String name, String... allowed) {
    String value = text(name, false, 64);
    if (value == null) {
      return allowed[0];
    }
    for (String option : allowed) {
      if (option.equals(value)) {
        return value;
      }
    }
    throw ApiRefusal.field(name, "must be one of " + String.join(", ", allowed));
  }
}
