package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Target;
import dev.switchboard.bench.ws.WsFrames;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadTest {

  @Test
  void aPublishedFrameReadsBackFromTheMessageFrameTheNodeMakesOfIt() {
    Target target = Target.BROKER;
    Payload.Encoder encoder = new Payload.Encoder(target.publishPrefix("a.b"), target.publishSuffix(), 3, 64);
    byte[] frame = encoder.encode(123_456, 9_876_543_210L).clone();
    int length = frame.length;
    int header = WsFrames.headerLength(length - 2 - 4);
    assertThat(header).isEqualTo(6);
    encoder.encode(7, 8);
    assertThat(encoder.frame()).hasSize(length);

    // The node forwards data byte for byte inside its own frame, and stamps it; the publish has no stamp.
    String publish = new String(frame, header, frame.length - header, StandardCharsets.UTF_8);
    assertThat(publish).doesNotContain("published_at").endsWith("xx\"}");
    String data = publish.substring(publish.indexOf("\"data\":") + 7, publish.length() - 1);
    assertThat(data).hasSize(64 + 2);
    byte[] message = ("{\"type\":\"message\",\"topic\":\"a.b\",\"data\":" + data
        + Target.deliverySuffix(1_765_100_000_123L)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(message);
    assertThat(FrameSniffer.type(b, 0, message.length)).isEqualTo(FrameSniffer.Type.MESSAGE);
    int at = FrameSniffer.dataStart(b, 0, message.length,
        Target.deliveryPrefix("a.b").getBytes(StandardCharsets.UTF_8), FrameSniffer.topicField("a.b"));

    Payload.Parsed parsed = new Payload.Parsed();
    assertThat(Payload.parse(b, at, message.length, parsed)).isTrue();
    assertThat(parsed.publisher).isEqualTo(3);
    assertThat(parsed.seq).isEqualTo(123_456);
    assertThat(parsed.intendedNanos).isEqualTo(9_876_543_210L);
  }

  @Test
  void aHistoryTopicsMessageIsFoundPastItsPosition() {
    String json = "{\"type\":\"message\",\"topic\":\"a.b\",\"position\":{\"epoch\":\"0123456789abcdef\","
        + "\"offset\":9223372036854775807},\"data\":\"3:4:5:xx\",\"published_at\":1}";
    ByteBuffer b = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    int at = FrameSniffer.dataStart(b, 0, b.limit(), Target.deliveryPrefix("a.b").getBytes(StandardCharsets.UTF_8),
        FrameSniffer.topicField("a.b"));
    assertThat(at).isEqualTo(json.indexOf("3:4:5"));

    // With a hint kept between frames: found again there, and still found when the offset gains a digit.
    int[] hint = new int[1];
    for (String offset : new String[] {"999", "998", "1000"}) {
      String frame = "{\"type\":\"message\",\"topic\":\"a.b\",\"position\":{\"epoch\":\"0123456789abcdef\","
          + "\"offset\":" + offset + "},\"data\":\"3:4:5:xx\",\"published_at\":1}";
      ByteBuffer f = ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8));
      assertThat(FrameSniffer.dataStart(f, 0, f.limit(), Target.deliveryPrefix("a.b").getBytes(StandardCharsets.UTF_8),
          FrameSniffer.topicField("a.b"), hint)).isEqualTo(frame.indexOf("3:4:5"));
      assertThat(hint[0]).isEqualTo(frame.indexOf("3:4:5"));
    }
  }

  @Test
  void theCeilingFrameHasTheShapeAndSizeOfTheNodesMessageFrame() {
    Target target = Target.CEILING;
    Payload.Encoder encoder = new Payload.Encoder(target.publishPrefix("a.b"), target.publishSuffix(), 0, 100);
    byte[] ceiling = encoder.encode(1, 2);
    assertThat(encoder.length()).isEqualTo(ceiling.length);
    int header = WsFrames.headerLength(ceiling.length - 8);
    assertThat(header).isEqualTo(8);
    String json = new String(ceiling, header, ceiling.length - header, StandardCharsets.UTF_8);

    // As the node writes a message of a plain topic (docs/protocol.md): data, then a 13-digit published_at.
    String data = json.substring(Target.deliveryPrefix("a.b").length() - 1, json.indexOf(",\"published_at\":"));
    assertThat(data).startsWith("\"0:1:2:xxx").endsWith("xx\"").hasSize(100 + 2);
    String node = "{\"type\":\"message\",\"topic\":\"a.b\",\"data\":" + data + ",\"published_at\":"
        + System.currentTimeMillis() + "}";
    assertThat(json).hasSameSizeAs(node).matches("\\{\"type\":\"message\",\"topic\":\"a\\.b\",\"data\":\"0:1:2:x{94}\""
        + ",\"published_at\":[0-9]{13}}");

    // A subscriber finds the payload at the same place as in the node's frame.
    ByteBuffer b = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    int at = FrameSniffer.dataStart(b, 0, b.limit(), Target.deliveryPrefix("a.b").getBytes(StandardCharsets.UTF_8),
        FrameSniffer.topicField("a.b"));
    assertThat(at).isEqualTo(Target.deliveryPrefix("a.b").length());
    Payload.Parsed parsed = new Payload.Parsed();
    assertThat(Payload.parse(b, at, b.limit(), parsed)).isTrue();
    assertThat(parsed.seq).isEqualTo(1);
    assertThat(parsed.intendedNanos).isEqualTo(2);
  }

  @Test
  void oneEncoderWritesTheFrameOfEachTopicWhateverTheLengthOfItsName() {
    byte[][] prefixes = Payload.prefixes(List.of(Target.BROKER.publishPrefix("t.7"),
        Target.BROKER.publishPrefix("t.1234567")));
    Payload.Encoder encoder = new Payload.Encoder(prefixes, Target.BROKER.publishSuffix(), 0, 200);
    for (int round = 0; round < 2; round++) {
      for (int topic = 0; topic < 2; topic++) {
        byte[] frame = encoder.encode(topic, 10L + round, 99);
        int body = prefixes[topic].length + 200 + 2;
        int header = WsFrames.headerLength(body);
        assertThat(encoder.length()).isEqualTo(header + body);
        String json = new String(frame, header, body, StandardCharsets.UTF_8);
        assertThat(json).startsWith(Target.BROKER.publishPrefix(topic == 0 ? "t.7" : "t.1234567"))
            .contains("\"data\":\"0:" + (10 + round) + ":99:xxx").endsWith("xx\"}");
      }
    }
  }

  @Test
  void aMessageOfAnotherTopicIsToldApart() {
    byte[] message = "{\"type\":\"message\",\"topic\":\"a.c\",\"data\":\"0:1:2:xx\"}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(message);
    assertThat(FrameSniffer.dataStart(b, 0, message.length, Target.deliveryPrefix("a.b")
        .getBytes(StandardCharsets.UTF_8), FrameSniffer.topicField("a.b"))).isEqualTo(FrameSniffer.OTHER_TOPIC);
    byte[] reordered = "{\"type\":\"message\",\"data\":\"0:1:2:xx\",\"topic\":\"a.b\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(FrameSniffer.dataStart(ByteBuffer.wrap(reordered), 0, reordered.length, Target.deliveryPrefix("a.b")
        .getBytes(StandardCharsets.UTF_8), FrameSniffer.topicField("a.b")))
        .isEqualTo(new String(reordered, StandardCharsets.UTF_8).indexOf("0:1:2"));
  }

  @Test
  void otherTextIsNotTakenForAPayload() {
    ByteBuffer b = ByteBuffer.wrap("{\"headline\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(Payload.parse(b, 0, b.limit(), new Payload.Parsed())).isFalse();
  }
}
