package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTest {

  @Test
  void encodesClientFrames() {
    assertThat(Frames.subscribe("s1", "news.*")).isEqualTo("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"news.*\"}");
    assertThat(Frames.unsubscribe("u2", "news.eu"))
        .isEqualTo("{\"type\":\"unsubscribe\",\"id\":\"u2\",\"topic\":\"news.eu\"}");
    assertThat(Frames.publish("p3", "news.eu", Map.of("headline", "hi")))
        .isEqualTo("{\"type\":\"publish\",\"id\":\"p3\",\"topic\":\"news.eu\",\"data\":{\"headline\":\"hi\"}}");
    assertThat(Frames.publish("p4", "t", null)).isEqualTo("{\"type\":\"publish\",\"id\":\"p4\",\"topic\":\"t\",\"data\":null}");
    assertThat(Frames.PONG).isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void encodesSinceAndLatest() {
    assertThat(Frames.subscribe("s1", "chat.room", new Position("k3x9", 41), false)).isEqualTo(
        "{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"chat.room\",\"since\":{\"epoch\":\"k3x9\",\"offset\":41}}");
    assertThat(Frames.subscribe("s2", "chat.room", new Position("e\"1", -1), false))
        .contains("\"since\":{\"epoch\":\"e\\\"1\",\"offset\":-1}");
    assertThat(Frames.subscribe("s3", "ticker", null, true))
        .isEqualTo("{\"type\":\"subscribe\",\"id\":\"s3\",\"topic\":\"ticker\",\"latest\":true}");
    assertThat(Frames.subscribe("s4", "t", null, false)).isEqualTo(Frames.subscribe("s4", "t"));
  }

  @Test
  void decodesPositionsAndRecovered() throws IOException {
    Frame m = Frames.parse("{\"type\":\"message\",\"topic\":\"chat.room\",\"position\":{\"epoch\":\"k3x9\","
        + "\"offset\":41,\"more\":[1]},\"data\":\"hi\"}");
    assertThat(m.position()).isEqualTo(new Position("k3x9", 41));
    assertThat(m.data()).isEqualTo("\"hi\"");
    assertThat(m.recovered()).isNull();

    Frame s = Frames.parse("{\"type\":\"subscribed\",\"id\":\"s1\",\"topic\":\"chat.room\","
        + "\"position\":{\"offset\":-1,\"epoch\":\"k\"},\"recovered\":false}");
    assertThat(s.position()).isEqualTo(new Position("k", -1));
    assertThat(s.recovered()).isFalse();
    assertThat(Frames.parse("{\"type\":\"subscribed\",\"recovered\":true}").recovered()).isTrue();
    assertThat(Frames.parse("{\"type\":\"subscribed\",\"id\":\"s1\"}").position()).isNull();
    Frame odd = Frames.parse("{\"type\":\"subscribed\",\"recovered\":{\"x\":[true]},\"id\":\"s2\"}");
    assertThat(odd.recovered()).isNull();
    assertThat(odd.id()).isEqualTo("s2");
  }

  @Test
  void decodesThePublishStamp() throws IOException {
    Frame m = Frames.parse("{\"type\":\"message\",\"topic\":\"t\",\"data\":{\"a\":[1]},\"published_at\":1718000000123}");
    assertThat(m.publishedAt()).isEqualTo(1718000000123L);
    assertThat(m.data()).isEqualTo("{\"a\":[1]}");
    Frame first = Frames.parse("{\"published_at\":5,\"type\":\"message\",\"topic\":\"t\",\"data\":2}");
    assertThat(first.publishedAt()).isEqualTo(5);
    assertThat(first.data()).isEqualTo("2");
    assertThat(Frames.parse("{\"type\":\"message\",\"topic\":\"t\",\"data\":1}").publishedAt()).isZero();
    assertThat(Frame.message("t", null, null, "1").publishedAt()).isZero();
    assertThat(Frame.message("t", null, null, 9, "1").publishedAt()).isEqualTo(9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"1718000000123\"", "1.5", "1e3", "99999999999999999999", "[1]", "{\"ms\":1}", "true"})
  void aMalformedPublishStampIsNone(String stamp) throws IOException {
    Frame f = Frames.parse("{\"type\":\"message\",\"published_at\":" + stamp + ",\"topic\":\"t\",\"data\":[2]}");
    assertThat(f.publishedAt()).isZero();
    assertThat(f.topic()).isEqualTo("t");
    assertThat(f.data()).isEqualTo("[2]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "7", "\"e:1\"", "{}", "{\"epoch\":\"e\"}", "{\"offset\":1}",
      "{\"epoch\":\"\",\"offset\":1}", "{\"epoch\":\"e\",\"offset\":-2}", "{\"epoch\":\"e\",\"offset\":1.5}",
      "{\"epoch\":\"e\",\"offset\":\"1\"}", "{\"epoch\":1,\"offset\":1}",
      "{\"epoch\":\"e\",\"offset\":99999999999999999999}"})
  void aMalformedPositionIsNone(String position) throws IOException {
    Frame f = Frames.parse("{\"type\":\"message\",\"topic\":\"t\",\"position\":" + position
        + ",\"data\":1,\"recovered\":\"yes\"}");
    assertThat(f.position()).isNull();
    assertThat(f.recovered()).isNull();
    assertThat(f.topic()).isEqualTo("t");
    assertThat(f.data()).isEqualTo("1");
  }

  @Test
  void publishRefusesDataItCannotEncode() {
    assertThatThrownBy(() -> Frames.publish("p1", "t", new Thread())).isInstanceOf(IllegalArgumentException.class);
    // An unpaired surrogate would make the JDK refuse the frame after it was queued, and drop the connection.
    assertThatThrownBy(() -> Frames.publish("p2", "t", "x\uD800y")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+D800");
    assertThatThrownBy(() -> Frames.publish("p3", "t", Map.of("k\uDC00", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map key");
  }

  @Test
  void decodesWelcome() throws IOException {
    Frame f = Frames.parse("{\"type\":\"welcome\",\"node\":\"n1\",\"session\":\"s9\",\"future\":[1,{\"x\":2}],"
        + "\"heartbeat\":{\"interval_ms\":25000,\"timeout_ms\":10000,\"extra\":{}},"
        + "\"limits\":{\"max_frame_bytes\":65536,\"max_subscriptions\":1000}}");
    assertThat(f.type()).isEqualTo("welcome");
    assertThat(f.node()).isEqualTo("n1");
    assertThat(f.session()).isEqualTo("s9");
    assertThat(f.heartbeatIntervalMs()).isEqualTo(25000);
    assertThat(f.heartbeatTimeoutMs()).isEqualTo(10000);
    assertThat(f.maxFrameBytes()).isEqualTo(65536);
  }

  @Test
  void decodesAnswers() throws IOException {
    Frame error = Frames.parse("{\"type\":\"error\",\"id\":\"p1\",\"code\":\"invalid_topic\",\"message\":\"no\"}");
    assertThat(error.id()).isEqualTo("p1");
    assertThat(error.code()).isEqualTo("invalid_topic");
    assertThat(error.message()).isEqualTo("no");
    Frame ping = Frames.parse("{\"type\":\"ping\"}");
    assertThat(ping.type()).isEqualTo("ping");
    assertThat(ping.id()).isNull();
    assertThat(ping.maxFrameBytes()).isEqualTo(-1);
    assertThat(Frames.parse("{\"type\":7,\"id\":null}").type()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":1.50,\"big\":123456789012345678901234567890.000}",
      "[ 1 , 2 ]",
      "\"caf\u00e9 \\u00e9 \\\"q\\\" \ud834\udd1e\"",
      "12345678901234567890123456789",
      "-0.0e-7",
      "1.10",
      "true",
      "false",
      "null",
      "{}",
      "{\"nested\":{\"deep\":[[[]]],\"s\":\"}]\"}}",
  })
  void keepsMessageDataExactlyAsSent(String data) throws IOException {
    for (String frame : new String[] {
        "{\"type\":\"message\",\"topic\":\"a.b\",\"data\":" + data + "}",
        "{\"type\":\"message\",\"data\":" + data + ",\"topic\":\"a.b\",\"pattern\":\"a.*\"}",
        "{ \"type\" : \"message\" , \"data\" :\t" + data + " \n, \"topic\":\"a.b\" }",
        "{\"data\":" + data + "  }"}) {
      Frame f = Frames.parse(frame);
      assertThat(f.data()).as(frame).isEqualTo(data);
    }
    Frame f = Frames.parse("{\"type\":\"message\",\"topic\":\"a.b\",\"pattern\":\"a.*\",\"data\":" + data + "}");
    assertThat(f.topic()).isEqualTo("a.b");
    assertThat(f.pattern()).isEqualTo("a.*");
  }

  @Test
  void refusesWhatIsNotAnObject() {
    assertThatThrownBy(() -> Frames.parse("[1]")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Frames.parse("{\"type\":")).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "caf\u00e9", "\u20ac", "\ud834\udd1e", "\u65e5\u672c\u8a9e x \u00e9\ud83d\ude00"})
  void countsUtf8Bytes(String s) {
    assertThat(Frames.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
  }
}
