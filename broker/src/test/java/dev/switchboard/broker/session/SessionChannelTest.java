package dev.switchboard.broker.session;

import dev.switchboard.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The session's WebSocket layer on a real Netty pipeline (an embedded channel standing in for the socket). */
class SessionChannelTest {
  private static final int MAX_MESSAGE = 10;
  private static final long CLOSING_TIMEOUT_MS = 5000;

  private final List<String> heard = new ArrayList<>();
  private EmbeddedChannel channel;
  private SessionChannel session;
  /** When set, the listener pauses the channel on this message. */
  private String pauseOn;

  @BeforeEach
  void attach() {
    attach(new EmbeddedChannel());
  }

  /** Attaches the session to {@code embedded} in place of a handler added last, behind what it holds already. */
  private void attach(EmbeddedChannel embedded) {
    if (channel != null) {
      channel.finishAndReleaseAll();
      heard.clear();
    }
    channel = embedded;
    channel.freezeTime();
    channel.pipeline().addLast("vertx", new ChannelInboundHandlerAdapter());
    session = SessionChannel.attach(channel.pipeline().context("vertx"), new SessionChannel.Listener() {
      @Override
      public void text(String message) {
        heard.add(message);
        if (message.equals(pauseOn)) {
          session.pause();
        }
      }

      @Override
      public void binary() {
        heard.add("binary");
      }

      @Override
      public void failed(CloseCode code) {
        heard.add("failed " + code.code());
      }

      @Override
      public void ended() {
        heard.add("ended");
      }
    }, MAX_MESSAGE, 1024, CLOSING_TIMEOUT_MS);
  }

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  @Test
  void takesTheReplacedHandlersPlace() {
    assertThat(channel.pipeline().get("vertx")).isNull();
    assertThat(channel.pipeline().get(SessionChannel.NAME)).isSameAs(session);
    assertThat(channel.config().getWriteBufferHighWaterMark()).isEqualTo(1024);
  }

  @Test
  void messagesThatArriveWhilePausedAreHeldThenPassedOnInOrder() {
    pauseOn = "a";
    channel.writeInbound(text("a", true), text("b", true), text("c", true));
    assertThat(heard).containsExactly("a");
    assertThat(channel.config().isAutoRead()).isFalse();
    pauseOn = "b";
    session.resume();
    assertThat(heard).containsExactly("a", "b");
    assertThat(channel.config().isAutoRead()).isFalse();
    session.resume();
    assertThat(heard).containsExactly("a", "b", "c");
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void fragmentsAreAssembledAndBoundedAsOneMessage() {
    channel.writeInbound(text("he", false), new ContinuationWebSocketFrame(false, 0, utf8("ll")),
        new ContinuationWebSocketFrame(true, 0, utf8("o")));
    assertThat(heard).containsExactly("hello");
    channel.writeInbound(text("123456", false), new ContinuationWebSocketFrame(true, 0, utf8("78901")));
    assertThat(heard).containsExactly("hello", "failed 1009");
    assertCloseSent(1009);
    channel.writeInbound(new CloseWebSocketFrame(1009, ""));
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("hello", "failed 1009", "ended");
  }

  @Test
  void afterARefusedFrameNothingIsPassedOnOrAnsweredAndThePeersCloseEndsTheConnection() {
    channel.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'"', (byte) 0xC3, 0x28, '"'})));
    assertThat(heard).containsExactly("failed 1007");
    assertCloseSent(1007);
    channel.writeInbound(text("late", true), new PingWebSocketFrame(utf8("p")),
        new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF})));
    assertThat(heard).containsExactly("failed 1007");
    assertThat((Object) channel.readOutbound()).as("no pong after the close frame").isNull();
    assertThat(channel.isActive()).isTrue();
    channel.writeInbound(new CloseWebSocketFrame(1007, ""));
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("failed 1007", "ended");
  }

  @Test
  void afterARefusedFrameTheClosingTimeoutEndsASilentPeer() {
    channel.writeInbound(text("12345678901", true));
    assertCloseSent(1009);
    channel.advanceTimeBy(CLOSING_TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isTrue();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("failed 1009", "ended");
  }

  @Test
  void aFrameTheDecoderRefusesTakesTheDecoderOutAndWhatFollowsIsDroppedUnread() {
    attach(new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(MAX_MESSAGE).closeOnProtocolViolation(false).build())));
    // A masked text frame of MAX_MESSAGE + 1 bytes: the decoder refuses it on its header.
    byte[] header = {(byte) 0x81, (byte) (0x80 | (MAX_MESSAGE + 1)), 1, 2, 3, 4};
    channel.writeInbound(Unpooled.wrappedBuffer(header));
    assertThat(heard).containsExactly("failed 1009");
    assertCloseSent(1009);
    assertThat(channel.pipeline().get(WebSocket08FrameDecoder.class)).isNull();
    ByteBuf more = Unpooled.wrappedBuffer(new byte[100]);
    channel.writeInbound(more);
    assertThat(more.refCnt()).as("dropped").isZero();
    assertThat(channel.isActive()).isTrue();
    channel.advanceTimeBy(CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("failed 1009", "ended");
  }

  @Test
  void theNodesCloseReadsOnWhilePausedAndDropsWhatWasHeld() {
    pauseOn = "a";
    channel.writeInbound(text("a", true), text("b", true));
    assertThat(channel.config().isAutoRead()).isFalse();
    session.close(CloseCode.SLOW_CONSUMER);
    assertCloseSent(4001);
    assertThat(channel.config().isAutoRead()).as("reading on for the peer's close").isTrue();
    session.pause();
    assertThat(channel.config().isAutoRead()).isTrue();
    session.resume();
    assertThat(heard).containsExactly("a");
  }

  @Test
  void aBinaryMessageIsReportedOnceWhole() {
    channel.writeInbound(new BinaryWebSocketFrame(false, 0, utf8("12")),
        new ContinuationWebSocketFrame(true, 0, utf8("34")));
    assertThat(heard).containsExactly("binary");
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aPingIsAnsweredWithItsPayload() {
    channel.writeInbound(new PingWebSocketFrame(utf8("p")));
    PongWebSocketFrame pong = channel.readOutbound();
    assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("p");
    pong.release();
  }

  @Test
  void theNodesCloseEndsTheConnectionWhenThePeerAnswers() {
    session.close(CloseCode.SLOW_CONSUMER);
    assertThat(session.open()).isFalse();
    CloseWebSocketFrame sent = channel.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(4001);
    assertThat(sent.reasonText()).isEqualTo("slow_consumer");
    sent.release();
    assertThat(channel.isActive()).isTrue();
    channel.writeInbound(text("late", true));
    assertThat(heard).isEmpty();
    channel.writeInbound(new CloseWebSocketFrame(4001, "slow_consumer"));
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("ended");
  }

  @Test
  void theNodesCloseEndsTheConnectionAfterTheTimeoutWhenThePeerIsSilent() {
    session.close(CloseCode.HEARTBEAT_TIMEOUT);
    ((CloseWebSocketFrame) channel.readOutbound()).release();
    channel.advanceTimeBy(CLOSING_TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isTrue();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isFalse();
    assertThat(heard).containsExactly("ended");
  }

  @Test
  void thePeersCloseIsAnsweredWithItsCode() {
    channel.writeInbound(new CloseWebSocketFrame(1000, "bye"));
    assertClosedWith(1000);
    assertThat(heard).containsExactly("ended");
  }

  private void assertClosedWith(int code) {
    CloseWebSocketFrame sent = channel.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(code);
    sent.release();
    assertThat(channel.isActive()).isFalse();
  }

  /** The node's close frame with {@code code} went out, and the connection stays open for the peer's answer. */
  private void assertCloseSent(int code) {
    CloseWebSocketFrame sent = channel.readOutbound();
    assertThat(sent.statusCode()).isEqualTo(code);
    sent.release();
    assertThat(channel.isActive()).isTrue();
  }

  private static TextWebSocketFrame text(String s, boolean last) {
    return new TextWebSocketFrame(last, 0, utf8(s));
  }

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }
}
