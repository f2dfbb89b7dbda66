package dev.switchboard.broker;

import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client the node refuses while it keeps sending, and while the node's frames to it are still on their way, reads
 * the close code it was refused with, not a TCP reset (1006): after its close frame the node reads and drops what
 * the client sends, and closes the connection on the client's close frame or its FIN (else after the closing
 * timeout). Each case runs {@value #RUNS} times on fresh connections.
 */
class ClosingHandshakeTest {
  private static final int MAX_FRAME_BYTES = 4096;
  private static final int RUNS = 20;
  /** Well under the node's closing timeout (5 s): the connection ended on the client's close or FIN, not on it. */
  private static final long PROMPT_MS = 3000;
  /** What the client writes after the offending frame before it reads. */
  private static final long BUSY_BYTES = 256 * 1024;
  /** The client's socket receive buffer: the backlog of deliveries to it waits on the node's side. */
  private static final int RECEIVE_BUFFER_BYTES = 8 * 1024;
  private static final int BACKLOG_MESSAGES = 64;
  private static final int BACKLOG_MESSAGE_BYTES = 2000;
  private static TestCluster cluster;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.maxFrameBytes(MAX_FRAME_BYTES));
    port = cluster.node(0).port();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** How the client ends its side once it has read the node's close frame. */
  private enum Answer {
    /** A close frame: the node's frame decoder still reads frames and ends the connection on it. */
    CLOSE_FRAME,
    /** A FIN: after a frame its decoder refused, the node no longer parses what the client sends. */
    FIN
  }

  @Test
  void anOversizeFrameIsAnsweredWithMessageTooBig() {
    byte[] oversize = RawWebSocket.frame(RawWebSocket.TEXT, json(MAX_FRAME_BYTES + 1), true);
    byte[] more = RawWebSocket.text("{\"type\":\"publish\",\"topic\":\"t\",\"data\":1}");
    refusedWhileSending(oversize, more, 1009, Answer.FIN);
  }

  @Test
  void anOversizeMessageInFragmentsIsAnsweredWithMessageTooBig() {
    // Each fragment is within the frame limit; the message passes the limit on the third, and the client goes on.
    byte[] first = RawWebSocket.frame(RawWebSocket.TEXT, json(MAX_FRAME_BYTES / 2), true, false);
    byte[] next = RawWebSocket.frame(RawWebSocket.CONTINUATION, json(MAX_FRAME_BYTES / 2), true, false);
    refusedWhileSending(concat(first, next, next), next, 1009, Answer.CLOSE_FRAME);
  }

  @Test
  void invalidUtf8IsAnsweredWithInvalidPayload() {
    byte[] invalid = RawWebSocket.frame(RawWebSocket.TEXT,
        new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, true);
    byte[] more = RawWebSocket.text("{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"" + "x".repeat(1000) + "\"}");
    refusedWhileSending(invalid, more, 1007, Answer.CLOSE_FRAME);
  }

  @Test
  void anUnmaskedFrameIsAnsweredWithProtocolError() {
    byte[] unmasked = RawWebSocket.frame(RawWebSocket.TEXT, json(100), false);
    byte[] more = RawWebSocket.text("{\"type\":\"publish\",\"topic\":\"t\",\"data\":1}");
    refusedWhileSending(unmasked, more, 1002, Answer.FIN);
  }

  /**
   * {@value #RUNS} times: a client behind on reading (a backlog of deliveries waits for it on the node) writes
   * {@code offending}, then {@code more} over and over from another thread, and must read, past the backlog, a close
   * frame with {@code code}; it then stops, answers as {@code answer} says, and the node must end the connection
   * promptly. Had the node closed TCP with the client's bytes unread, the reset would have thrown the backlog and the
   * close frame away.
   */
  private static void refusedWhileSending(byte[] offending, byte[] more, int code, Answer answer) {
    for (int run = 0; run < RUNS; run++) {
      String topic = "backlog." + run;
      try (RawWebSocket ws = RawWebSocket.open(port, RECEIVE_BUFFER_BYTES)) {
        assertThat(ws.read().text()).contains("\"type\":\"welcome\"");
        ws.write(RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}"));
        assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"");
        backlog(topic);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
          try {
            ws.write(offending);
            for (long sent = 0; !stop.get(); sent += more.length) {
              ws.write(more);
              if (sent > BUSY_BYTES) {
                busy.countDown();
              }
            }
          } catch (UncheckedIOException e) {
            // the connection broke under the writer: the reader sees how
          } finally {
            busy.countDown();
          }
        }, "keeps-sending");
        writer.start();
        RawWebSocket.Frame close;
        try {
          assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
          close = readClose(ws);
        } catch (UncheckedIOException | InterruptedException e) {
          throw new AssertionError("run " + run + ": no close frame, the connection broke: " + e, e);
        } finally {
          stop.set(true);
          join(writer);
        }
        assertThat(close.closeCode()).as("run " + run).isEqualTo(code);
        long start = System.nanoTime();
        if (answer == Answer.CLOSE_FRAME) {
          ws.write(RawWebSocket.frame(RawWebSocket.CLOSE, RawWebSocket.closePayload(code, ""), true));
        } else {
          ws.shutdownOutput();
        }
        assertThat(ws.endOfStream()).as("run " + run + ": the node ended the connection").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("run " + run + ": ms to the end")
            .isLessThan(PROMPT_MS);
      }
    }
  }

  /**
   * Publishes {@value #BACKLOG_MESSAGES} messages to {@code topic} from another connection that subscribes to it
   * too: once it has them all, the node has written them to every subscriber of the topic (one fan-out).
   */
  private static void backlog(String topic) {
    try (RawWebSocket publisher = RawWebSocket.open(port)) {
      assertThat(publisher.read().text()).contains("\"type\":\"welcome\"");
      publisher.write(RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}"));
      assertThat(publisher.readSkippingPings().text()).contains("\"type\":\"subscribed\"");
      String data = "x".repeat(BACKLOG_MESSAGE_BYTES);
      for (int i = 0; i < BACKLOG_MESSAGES; i++) {
        publisher.write(RawWebSocket.text("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":\"" + data + "\"}"));
      }
      int delivered = 0;
      while (delivered < BACKLOG_MESSAGES) {
        if (publisher.readSkippingPings().text().contains("\"type\":\"message\"")) {
          delivered++;
        }
      }
    }
  }

  /** Reads past the node's other frames (replies, pings) to its close frame. */
  private static RawWebSocket.Frame readClose(RawWebSocket ws) {
    while (true) {
      RawWebSocket.Frame frame = ws.read();
      if (frame.opcode() == RawWebSocket.CLOSE) {
        return frame;
      }
    }
  }

  /** A JSON text of exactly {@code bytes} bytes. */
  private static byte[] json(int bytes) {
    byte[] text = new byte[bytes];
    Arrays.fill(text, (byte) 'x');
    byte[] head = "{\"d\":\"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, text, 0, head.length);
    text[bytes - 2] = '"';
    text[bytes - 1] = '}';
    return text;
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(thread.isAlive()).as("the writer stopped").isFalse();
  }
}
