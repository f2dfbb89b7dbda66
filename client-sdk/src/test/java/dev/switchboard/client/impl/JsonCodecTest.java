package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  @Test
  void nestedValuesRoundTrip() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("list", List.of(1, "two", true, false));
    inner.put("none", null);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("s", "text");
    value.put("i", 42);
    value.put("l", 1L << 40);
    value.put("d", 1.5);
    value.put("inner", inner);
    value.put("empty", Map.of());
    value.put("emptyList", List.of());

    String json = JsonCodec.encode(value);
    assertThat(json).isEqualTo("{\"s\":\"text\",\"i\":42,\"l\":1099511627776,\"d\":1.5,"
        + "\"inner\":{\"list\":[1,\"two\",true,false],\"none\":null},\"empty\":{},\"emptyList\":[]}");
    Object back = JsonCodec.parse(json);
    assertThat(back).isInstanceOf(LinkedHashMap.class).isEqualTo(value);
    assertThat(((Map<?, ?>) ((Map<?, ?>) back).get("inner")).get("list")).isInstanceOf(ArrayList.class);
  }

  @Test
  void scalarsAndNull() {
    assertThat(JsonCodec.encode(null)).isEqualTo("null");
    assertThat(JsonCodec.parse("null")).isNull();
    assertThat(JsonCodec.parse(" true ")).isEqualTo(true);
    assertThat(JsonCodec.parse("\"x\"")).isEqualTo("x");
    assertThat(JsonCodec.encode("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
  }

  @Test
  void numbersKeepTheirPrecision() {
    assertThat(JsonCodec.parse("7")).isEqualTo(7);
    assertThat(JsonCodec.parse("-9007199254740993")).isEqualTo(-9007199254740993L);
    assertThat(JsonCodec.parse("123456789012345678901234567890"))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(JsonCodec.parse("0.1")).isEqualTo(0.1);
    assertThat(JsonCodec.parse("1e3")).isEqualTo(1000.0);
    assertThat(JsonCodec.parse("3.14159265358979323846264338327950288"))
        .isEqualTo(new BigDecimal("3.14159265358979323846264338327950288"));
    assertThat(JsonCodec.parse("1e400")).isEqualTo(new BigDecimal("1e400"));

    BigInteger big = new BigInteger("98765432109876543210987654321");
    BigDecimal exact = new BigDecimal("0.100000000000000000000000000001");
    assertThat(JsonCodec.encode(List.of(big, exact, 2.5f, (short) 3, (byte) 4)))
        .isEqualTo("[98765432109876543210987654321,0.100000000000000000000000000001,2.5,3,4]");
    assertThat(JsonCodec.parse(JsonCodec.encode(exact))).isEqualTo(exact);
  }

  @Test
  void unicodeIsWrittenAsIs() {
    String text = "caf\u00e9 \u20ac \ud834\udd1e \u65e5\u672c";
    String json = JsonCodec.encode(Map.of("t", text));
    assertThat(json).isEqualTo("{\"t\":\"" + text + "\"}");
    assertThat(JsonCodec.parse(json)).isEqualTo(Map.of("t", text));
    assertThat(JsonCodec.parse("\"\\u00e9\\ud834\\udd1e\"")).isEqualTo("\u00e9\ud834\udd1e");
  }

  @Test
  void unpairedSurrogatesAreRefusedInValuesKeysAndRawJson() {
    assertThatThrownBy(() -> JsonCodec.encode("x\uD800y")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("string").hasMessageContaining("U+D800 at index 1");
    assertThatThrownBy(() -> JsonCodec.encode(List.of("ok", "\uDC00"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.encode("end\uD834")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.encode(Map.of("k\uDD1E", 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map key");
    assertThatThrownBy(() -> Json.raw("\"\uD800\"")).isInstanceOf(IllegalArgumentException.class);
    assertThat(JsonCodec.encode(Map.of("\ud834\udd1e", "\ud834\udd1e")))
        .isEqualTo("{\"\ud834\udd1e\":\"\ud834\udd1e\"}");
    assertThat(Json.raw("\"\\ud800\"").text()).isEqualTo("\"\\ud800\""); // an escape is ASCII text: sendable
    assertThat(JsonCodec.unpairedSurrogate("a\ud834\udd1e\udd1e")).isEqualTo(3);
    assertThat(JsonCodec.unpairedSurrogate("")).isEqualTo(-1);
  }

  @Test
  void arraysIterablesAndRawJson() {
    assertThat(JsonCodec.encode(new int[] {1, 2})).isEqualTo("[1,2]");
    assertThat(JsonCodec.encode(new String[] {"a", null})).isEqualTo("[\"a\",null]");
    assertThat(JsonCodec.encode(new double[][] {{0.5}, {}})).isEqualTo("[[0.5],[]]");
    assertThat(JsonCodec.encode(Arrays.asList(true, null))).isEqualTo("[true,null]");
    assertThat(JsonCodec.encode(Map.of("raw", Json.raw("{\"n\":1.50}")))).isEqualTo("{\"raw\":{\"n\":1.50}}");
  }

  @Test
  void unsupportedValuesAreRefused() {
    assertThatThrownBy(() -> JsonCodec.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> JsonCodec.encode(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.encode(List.of(Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.encode(new Thread())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Thread is a JDK type with no JSON form");
    assertThatThrownBy(() -> JsonCodec.encode(List.of(new IllegalStateException("x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JDK type");
    Map<Object, Object> intKey = new HashMap<>();
    intKey.put(1, "x");
    assertThat(JsonCodec.encode(intKey)).isEqualTo("{\"1\":\"x\"}"); // other keys: the mapper's key serializers
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> JsonCodec.encode(cycle)).hasMessageContaining("nested");
  }

  @Test
  void validate() {
    JsonCodec.validate("[1,{\"a\":null}]");
    JsonCodec.validate("\"s\"");
    assertThatThrownBy(() -> JsonCodec.validate("[1,")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.validate("{} {}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.validate(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
