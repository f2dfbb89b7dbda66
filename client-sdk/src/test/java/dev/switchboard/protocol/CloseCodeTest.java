package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodeTest {

  @ParameterizedTest
  @ValueSource(ints = {1002, 1003, 1007, 1008, 1009, 1010, 4500, 4501, 4999})
  void terminal(int code) {
    assertThat(CloseCode.isTerminal(code)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014, 1015, 4000, 4001, 4002, 4003, 4499, 3000, 5000})
  void reconnect(int code) {
    assertThat(CloseCode.isTerminal(code)).isFalse();
  }

  @Test
  void everyKnownCodeAgreesWithItsRange() {
    for (CloseCode c : CloseCode.values()) {
      assertThat(c.terminal()).as(c.name()).isEqualTo(CloseCode.isTerminal(c.code()));
      assertThat(CloseCode.of(c.code())).isSameAs(c);
    }
    assertThat(CloseCode.of(4001)).isEqualTo(CloseCode.SLOW_CONSUMER);
    assertThat(CloseCode.of(4000).reason()).isEqualTo("heartbeat_timeout");
    assertThat(CloseCode.of(4002)).isEqualTo(CloseCode.NODE_DRAINING);
    assertThat(CloseCode.NODE_DRAINING.terminal()).isFalse();
    assertThat(CloseCode.of(4003)).isEqualTo(CloseCode.MISSED_MESSAGES);
    assertThat(CloseCode.MISSED_MESSAGES.reason()).isEqualTo("missed_messages");
    assertThat(CloseCode.of(1234)).isNull();
  }

  @Test
  void errorCodesRoundTrip() {
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(ErrorCode.of(c.wire())).isSameAs(c);
    }
    assertThat(ErrorCode.of("unavailable")).isSameAs(ErrorCode.UNAVAILABLE);
    assertThat(ErrorCode.of("nope")).isNull();
  }
}
