package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Target;
import dev.switchboard.bench.ws.WsFrames;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadTest {

  @Test
  void aPublishedFrameReadsBackFromTheMessageFrameTheNodeMakesOfIt() {
    Payload.Encoder encoder = new Payload.Encoder(Target.BROKER.publishPrefix("a.b"), 3, 64);
    byte[] frame = encoder.encode(123_456, 9_876_543_210L).clone();
    int length = frame.length;
    int header = WsFrames.headerLength(length - 2 - 4);
    assertThat(header).isEqualTo(6);
    encoder.encode(7, 8);
    assertThat(encoder.frame()).hasSize(length);

    // The node forwards data byte for byte inside its own frame.
    String publish = new String(frame, header, frame.length - header, StandardCharsets.UTF_8);
    String data = publish.substring(publish.indexOf("\"data\":") + 7, publish.length() - 1);
    assertThat(data).hasSize(64 + 2);
    byte[] message = ("{\"type\":\"message\",\"topic\":\"a.b\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(message);
    assertThat(ServerFrames.type(b, 0, message.length)).isEqualTo(ServerFrames.Type.MESSAGE);
    int at = ServerFrames.dataStart(b, 0, message.length, Target.deliveryPrefix("a.b").length());

    Payload.Parsed parsed = new Payload.Parsed();
    assertThat(Payload.parse(b, at, message.length, parsed)).isTrue();
    assertThat(parsed.publisher).isEqualTo(3);
    assertThat(parsed.seq).isEqualTo(123_456);
    assertThat(parsed.intendedNanos).isEqualTo(9_876_543_210L);
  }

  @Test
  void theCeilingFrameHasTheShapeAndSizeOfTheNodesMessageFrame() {
    byte[] ceiling = new Payload.Encoder(Target.CEILING.publishPrefix("a.b"), 0, 100).encode(1, 2);
    int header = WsFrames.headerLength(ceiling.length - 8);
    assertThat(header).isEqualTo(8);
    String json = new String(ceiling, header, ceiling.length - header, StandardCharsets.UTF_8);
    assertThat(json).startsWith(Target.deliveryPrefix("a.b")).endsWith("\"}");
    assertThat(json).hasSize(Target.deliveryPrefix("a.b").length() + 100 + 2);
  }

  @Test
  void otherTextIsNotTakenForAPayload() {
    ByteBuffer b = ByteBuffer.wrap("{\"headline\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(Payload.parse(b, 0, b.limit(), new Payload.Parsed())).isFalse();
  }
}
