package dev.switchboard.broker.wire;

import dev.switchboard.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientFrameTest {

  @Test
  void keepsDataAsTheExactTextSent() {
    for (String data : new String[] {"null", "true", "-0.5e-7", "\"a\\\"b\"", "{\"x\" : [1, {\"y\":null}]}", "[]", "12345678901234567890123"}) {
      ClientFrame f = ClientFrame.parse("{\"type\":\"publish\",\"topic\":\"t\",\"data\":" + data + ",\"id\":\"i\"}");
      assertThat(f.error).as(data).isNull();
      assertThat(f.data).isEqualTo(data);
      assertThat(f.id).isEqualTo("i");
    }
  }

  @Test
  void ignoresUnknownFieldsForForwardCompatibility() {
    ClientFrame f = ClientFrame.parse("{\"type\":\"subscribe\",\"topic\":\"t\",\"future\":{\"a\":[1]},\"resume\":3}");
    assertThat(f.error).isNull();
    assertThat(f.type).isEqualTo(ClientFrame.Type.SUBSCRIBE);
  }

  @Test
  void refusesIdsOfTheWrongShape() {
    assertThat(ClientFrame.parse("{\"type\":\"pong\",\"id\":\"\"}").error).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(ClientFrame.parse("{\"type\":\"pong\",\"id\":\"" + "i".repeat(129) + "\"}").error)
        .isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(ClientFrame.parse("{\"type\":\"pong\",\"id\":null}").error).isNull();
  }
}
