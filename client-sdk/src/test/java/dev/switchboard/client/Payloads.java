package dev.switchboard.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Typed payloads for the SDK's tests: public types in an exported package, as a user's module would have them, so
 * that the tests also run on the module path without opening anything to Jackson.
 */
public final class Payloads {
  private Payloads() {
  }

  public enum Status { NEW, PAID, SHIPPED }

  public record Line(String sku, int qty, BigDecimal price) {
  }

  public record Order(UUID id, Instant at, Status status, List<Line> lines, Map<String, Object> attributes,
      Optional<String> note, Duration ttl) {
  }

  public record Named(String name) {
  }

  public record Reading(String sensor, double value) {
  }

  public record WithRaw(String kind, Json body) {
  }

  public record Annotated(@JsonProperty("kind") String type, @JsonRawValue String raw) {
  }

  /** Primitive arrays, which Jackson writes through JsonGenerator.writeArray. */
  public record Samples(String[] tags, double[] values, int[] counts, long[] ids) {
  }

  /** A record whose constructor refuses some values. */
  public record Positive(int n) {
    public Positive {
      if (n <= 0) {
        throw new IllegalArgumentException("n must be positive, was " + n);
      }
    }
  }

  /** A mutable bean, so that a cycle can be made. */
  public static final class Box {
    private Object value;

    public Box() {
    }

    public Object getValue() {
      return value;
    }

    public void setValue(Object value) {
      this.value = value;
    }
  }

  /** A bean whose only property cannot be read. */
  public static final class Exploding {
    public Exploding() {
    }

    public String getValue() {
      throw new IllegalStateException("boom");
    }
  }

  public static Order order() {
    return new Order(UUID.fromString("6f1c0e2a-9b1d-4c1e-8d2f-0a1b2c3d4e5f"), Instant.parse("2025-01-31T12:00:03.412Z"),
        Status.PAID, List.of(new Line("A-1", 2, new BigDecimal("9.90")), new Line("B-\ud834\udd1e", 1, BigDecimal.ONE)),
        Map.of("tags", List.of("gift", "eu"), "weight", Map.of("kg", 1.5)), Optional.of("leave at door"),
        Duration.ofMillis(1500));
  }
}
