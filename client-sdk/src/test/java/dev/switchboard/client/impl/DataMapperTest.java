package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.Json;
import dev.switchboard.client.Payloads;
import dev.switchboard.client.Payloads.Box;
import dev.switchboard.client.Payloads.Exploding;
import dev.switchboard.client.Payloads.Named;
import dev.switchboard.client.Payloads.Order;
import dev.switchboard.client.Payloads.Annotated;
import dev.switchboard.client.Payloads.Reading;
import dev.switchboard.client.Payloads.Samples;
import dev.switchboard.client.Payloads.Status;
import dev.switchboard.client.Payloads.WithRaw;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Data the streaming path does not handle, written by the ObjectMapper under the same refusals. */
class DataMapperTest {

  @Test
  void recordIsWrittenWithIsoTimesAndEnumNames() {
    String json = JsonCodec.encode(Payloads.order());
    assertThat(json)
        .startsWith("{\"id\":\"6f1c0e2a-9b1d-4c1e-8d2f-0a1b2c3d4e5f\",\"at\":\"2025-01-31T12:00:03.412Z\","
            + "\"status\":\"PAID\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":9.90},")
        .contains("\"note\":\"leave at door\"", "\"ttl\":\"PT1.5S\"", "\"kg\":1.5");
  }

  @Test
  void scalarsTheStreamingPathDoesNotHandle() {
    assertThat(JsonCodec.encode(UUID.fromString("00000000-0000-0000-0000-000000000001")))
        .isEqualTo("\"00000000-0000-0000-0000-000000000001\"");
    assertThat(JsonCodec.encode(Instant.ofEpochMilli(0))).isEqualTo("\"1970-01-01T00:00:00Z\"");
    assertThat(JsonCodec.encode(LocalDate.of(2025, 1, 31))).isEqualTo("\"2025-01-31\"");
    assertThat(JsonCodec.encode(Status.NEW)).isEqualTo("\"NEW\"");
    assertThat(JsonCodec.encode(Optional.empty())).isEqualTo("null");
    assertThat(JsonCodec.encode(Optional.of(3))).isEqualTo("3");
    assertThat(JsonCodec.encode('c')).isEqualTo("\"c\"");
    assertThat(JsonCodec.encode(Path.of("/tmp/a b"))).isEqualTo("\"file:///tmp/a%20b\"");
  }

  @Test
  void typedValuesInsideMapsAndListsAndMapsWithOtherKeys() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("who", new Named("ann"));
    data.put("when", List.of(Instant.ofEpochSecond(1)));
    assertThat(JsonCodec.encode(data)).isEqualTo("{\"who\":{\"name\":\"ann\"},\"when\":[\"1970-01-01T00:00:01Z\"]}");

    Map<Object, Object> keyed = new LinkedHashMap<>();
    keyed.put(Status.NEW, 1);
    keyed.put(7, 2);
    assertThat(JsonCodec.encode(keyed)).isEqualTo("{\"NEW\":1,\"7\":2}");
  }

  @Test
  void rawJsonInsideARecordIsWrittenAsIs() {
    assertThat(JsonCodec.encode(new WithRaw("k", Json.raw("{\"n\":1.50}"))))
        .isEqualTo("{\"kind\":\"k\",\"body\":{\"n\":1.50}}");
  }

  @Test
  void primitiveArraysAndAnnotations() {
    assertThat(JsonCodec.encode(new Samples(new String[] {"a"}, new double[] {0.5}, new int[] {1}, new long[] {2})))
        .isEqualTo("{\"tags\":[\"a\"],\"values\":[0.5],\"counts\":[1],\"ids\":[2]}");
    assertThat(JsonCodec.encode(new Annotated("t", "[1]"))).isEqualTo("{\"kind\":\"t\",\"raw\":[1]}");
    assertThatThrownBy(() -> JsonCodec.encode(new Samples(new String[] {"\uD800"}, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> JsonCodec.encode(new Annotated("t", "\"\uDC00\""))).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("raw JSON has an unpaired surrogate");
  }

  @Test
  void publishFrameCarriesTheRecord() {
    assertThat(Frames.publish("p1", "t", new Named("x")))
        .isEqualTo("{\"type\":\"publish\",\"id\":\"p1\",\"topic\":\"t\",\"data\":{\"name\":\"x\"}}");
  }

  @Test
  void unserializableValuesAreRefusedNamingTheTypeAndTheCause() {
    assertThatThrownBy(() -> JsonCodec.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data: cannot encode java.lang.Object as JSON: ")
        .hasMessageContaining("No serializer found");
    assertThatThrownBy(() -> JsonCodec.encode(new Exploding())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data: cannot encode " + Exploding.class.getName() + " as JSON: ")
        .hasMessageContaining("boom").hasMessageContaining("$.value");
    assertThatThrownBy(() -> Frames.publish("p1", "t", List.of(new Object()))).isInstanceOf(
        IllegalArgumentException.class);
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    nullKey.put(2, 2);
    assertThatThrownBy(() -> JsonCodec.encode(nullKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Null key");
  }

  @Test
  void unpairedSurrogateInARecordIsRefusedWithItsPath() {
    assertThatThrownBy(() -> JsonCodec.encode(new Named("x\uD800y"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data: cannot encode " + Named.class.getName() + " as JSON: ")
        .hasMessageContaining("unpaired surrogate U+D800 at index 1").hasMessageContaining("$.name");
    assertThatThrownBy(() -> JsonCodec.encode(List.of(new Named("ok"), new Named("\uDC00"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+DC00");
    assertThatThrownBy(() -> JsonCodec.encode(Map.of(1, "\uD834"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    Map<Object, Object> badKey = new LinkedHashMap<>();
    badKey.put(new StringBuilder("k\uDD1E"), 1);
    assertThatThrownBy(() -> JsonCodec.encode(badKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map key").hasMessageContaining("U+DD1E");
    assertThatThrownBy(() -> JsonCodec.encode(Optional.of("\uD800"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.util.Optional").hasMessageContaining("unpaired surrogate");
  }

  @Test
  void nonFiniteNumbersAndCyclesAreRefused() {
    assertThatThrownBy(() -> JsonCodec.encode(new Reading("s", Double.NaN))).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("NaN is not a valid JSON number");
    assertThatThrownBy(() -> JsonCodec.encode(new Samples(null, new double[] {1, Double.POSITIVE_INFINITY}, null,
        null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity").hasMessageContaining(
            "$.values");
    Box box = new Box();
    box.setValue(List.of(box));
    assertThatThrownBy(() -> JsonCodec.encode(box)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested more than 99 levels");
  }

  @Test
  void depthCountsFromWhereTheMapperStarts() {
    Box deepest = new Box();
    Object value = deepest;
    for (int i = 0; i < 98; i++) {
      value = List.of(value);
    }
    // 98 lists, then the box at depth 98 and its value (null) inside: within the limit.
    assertThat(JsonCodec.encode(value)).endsWith("{\"value\":null}" + "]".repeat(98));
    Box inner = new Box();
    deepest.setValue(inner);   // a container at depth 99: still allowed
    assertThat(JsonCodec.encode(value)).contains("{\"value\":{\"value\":null}}");
    inner.setValue(new Box()); // depth 100: refused
    Object tooDeep = value;
    assertThatThrownBy(() -> JsonCodec.encode(tooDeep)).hasMessageContaining("nested more than 99 levels");
  }
}
