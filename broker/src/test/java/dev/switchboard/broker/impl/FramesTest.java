package dev.switchboard.broker.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole frames as the node writes them, read back by Netty's own client-side WebSocket decoder. */
class FramesTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
  void aWireFrameIsOneFinalUnmaskedTextFrameOfTheGivenBytes(int length) {
    byte[] json = new byte[length];
    Arrays.fill(json, (byte) 'x');
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));

    ByteBuf wire = Frames.wire(ByteBufAllocator.DEFAULT, json);
    assertThat(wire.isDirect()).isTrue();
    client.writeInbound(wire);

    TextWebSocketFrame frame = client.readInbound();
    assertThat(frame.isFinalFragment()).isTrue();
    assertThat(frame.content().toString(StandardCharsets.UTF_8)).isEqualTo(new String(json, StandardCharsets.UTF_8));
    frame.release();
    assertThat((Object) client.readInbound()).isNull();
    assertThat(client.finish()).isFalse();
  }
}
