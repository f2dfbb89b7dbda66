package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SubscribeOptionsTest {

  @Test
  void defaultsStartWithTheNextMessage() {
    assertThat(SubscribeOptions.DEFAULTS.since()).isNull();
    assertThat(SubscribeOptions.DEFAULTS.latest()).isFalse();
    assertThat(SubscribeOptions.DEFAULTS.gapListener()).isNull();
    GapListener listener = (s, seen, next) -> { };
    SubscribeOptions o = SubscribeOptions.builder().since(new Position("e", 3)).gapListener(listener).build();
    assertThat(o.since()).isEqualTo(new Position("e", 3));
    assertThat(o.gapListener()).isSameAs(listener);
  }

  @Test
  void sinceAndLatestExcludeEachOther() {
    assertThatThrownBy(() -> SubscribeOptions.builder().since(new Position("e", 0)).latest(true).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("latest:");
  }

  @Test
  void positionsAreChecked() {
    assertThat(new Position("e", -1).offset()).isEqualTo(-1);
    assertThatThrownBy(() -> new Position("e", -2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Position("", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Position(null, 0)).isInstanceOf(NullPointerException.class);
    assertThat(new Position("e", 1).sameEpoch(new Position("e", 9))).isTrue();
    assertThat(new Position("e", 1).sameEpoch(new Position("f", 1))).isFalse();
    assertThat(new Position("e", 1).sameEpoch(null)).isFalse();
  }

  @Test
  void sinceLatestOrPresenceListenerOnAPatternFailsTheStage() throws IOException {
    // A server that accepts the TCP connection and never answers: the client stays connecting.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SwitchboardClient client = Switchboard.connect(ClientOptions.builder()
            .servers("ws://127.0.0.1:" + silent.getLocalPort() + "/ws").build())) {
      for (SubscribeOptions o : new SubscribeOptions[] {
          SubscribeOptions.builder().since(new Position("e", 1)).build(),
          SubscribeOptions.builder().latest(true).build(),
          SubscribeOptions.builder().presenceListener(new PresenceListener() { }).build()}) {
        assertThatThrownBy(() -> client.subscribe("chat.*", o, m -> { }).toCompletableFuture().join())
            .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
      }
      assertThat(client.subscribe("chat.>", SubscribeOptions.DEFAULTS, m -> { })).isNotNull();
    }
  }
}
