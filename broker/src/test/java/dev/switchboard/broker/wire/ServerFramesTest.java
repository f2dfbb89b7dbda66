package dev.switchboard.broker.wire;

import dev.switchboard.broker.history.HistoryEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole frames as the node writes them, read back by Netty's own client-side WebSocket decoder. */
class ServerFramesTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
  void aWireFrameIsOneFinalUnmaskedTextFrameOfTheGivenBytes(int length) {
    byte[] json = new byte[length];
    Arrays.fill(json, (byte) 'x');
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));

    ByteBuf wire = ServerFrames.wire(ByteBufAllocator.DEFAULT, json);
    assertThat(wire.isDirect()).isTrue();
    client.writeInbound(wire);

    TextWebSocketFrame frame = client.readInbound();
    assertThat(frame.isFinalFragment()).isTrue();
    assertThat(frame.content().toString(StandardCharsets.UTF_8)).isEqualTo(new String(json, StandardCharsets.UTF_8));
    frame.release();
    assertThat((Object) client.readInbound()).isNull();
    assertThat(client.finish()).isFalse();
  }

  @Test
  void aMessageCarriesItsPublishStampAfterItsData() {
    assertThat(text(ServerFrames.message("news.eu", null, "{\"n\": 1.50}", 1718000000123L)))
        .isEqualTo("{\"type\":\"message\",\"topic\":\"news.eu\",\"data\":{\"n\": 1.50},\"published_at\":1718000000123}");
    assertThat(text(ServerFrames.message("news.eu", "news.*", "null", 0)))
        .isEqualTo("{\"type\":\"message\",\"topic\":\"news.eu\",\"pattern\":\"news.*\",\"data\":null,\"published_at\":0}");
  }

  @Test
  void aStoredPresenceEventIsItsTypeTopicAndPositionThenItsStoredMembers() {
    byte[] entry = HistoryEntry.event("{\"type\":\"join\",\"user\":null,\"client\":\"c1\",\"info\":{\"n\":\"\u00e9\"}}", 7);
    byte[] frame = ServerFrames.historyEvent("chat.room1", "k3x9", 42, entry, HistoryEntry.eventStart(entry));
    assertThat(text(frame)).isEqualTo("{\"type\":\"join\",\"topic\":\"chat.room1\",\"position\":{\"epoch\":\"k3x9\","
        + "\"offset\":42},\"user\":null,\"client\":\"c1\",\"info\":{\"n\":\"\u00e9\"}}");
    assertThat(ServerFrames.isMessage(frame)).isFalse();
    assertThat(ServerFrames.isMessage(ServerFrames.historyMessage("chat.room1", null, "k3x9", 41,
        HistoryEntry.of("1", 7)))).isTrue();
  }

  @Test
  void aHistoryMessageIsItsHeadThenTheStoredEntryAsItIs() {
    byte[] entry = HistoryEntry.of("\"h\u00e9\"", 1718000000123L);
    assertThat(text(ServerFrames.historyMessage("chat.room1", null, "k3x9", 41, entry))).isEqualTo("{\"type\":\"message\","
        + "\"topic\":\"chat.room1\",\"position\":{\"epoch\":\"k3x9\",\"offset\":41},\"data\":\"h\u00e9\","
        + "\"published_at\":1718000000123}");
    assertThat(text(ServerFrames.historyMessage("chat.room1", "chat.*", "k3x9", 41, entry)))
        .contains("\"pattern\":\"chat.*\",\"position\"").endsWith(",\"published_at\":1718000000123}");
    // An entry stored by a node of an earlier version is the data alone: a valid frame without the stamp.
    assertThat(text(ServerFrames.historyMessage("chat.room1", null, "k3x9", 7, "[1]".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("{\"type\":\"message\",\"topic\":\"chat.room1\",\"position\":{\"epoch\":\"k3x9\",\"offset\":7},"
            + "\"data\":[1]}");
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
