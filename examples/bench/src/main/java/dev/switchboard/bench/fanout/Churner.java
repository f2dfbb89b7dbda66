package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;

/**
 * One churn connection: does one subscribe/unsubscribe pair at a time for a {@link ChurnLoad} (subscribe; on
 * {@code subscribed}, unsubscribe; on {@code unsubscribed}, done), answers pings, and ignores the messages a
 * subscription on a shared topic brings. An error answer ends the pair and counts as a problem of the step.
 */
final class Churner implements WsListener {
  private enum State { IDLE, SUBSCRIBING, UNSUBSCRIBING }

  final int index;
  private final Rig rig;
  private State state = State.IDLE;
  private ChurnLoad load;
  private String topic;
  private long dueNanos;
  BenchSocket connection;

  Churner(Rig rig, int index) {
    this.rig = rig;
    this.index = index;
  }

  boolean idle() {
    return state == State.IDLE && connection != null && connection.isOpen();
  }

  /** Starts a pair on {@code topic} that was due at {@code dueNanos} ({@link System#nanoTime()}). */
  void begin(ChurnLoad load, String topic, long dueNanos) {
    this.load = load;
    this.topic = topic;
    this.dueNanos = dueNanos;
    state = State.SUBSCRIBING;
    connection.sendText("{\"type\":\"subscribe\",\"id\":\"c\",\"topic\":\"" + topic + "\"}");
  }

  @Override
  public void onOpen(BenchSocket c) {
    rig.ready();
  }

  @Override
  public void onText(BenchSocket c, ByteBuffer b, int offset, int length, long nowNanos) {
    switch (FrameSniffer.type(b, offset, length)) {
      case SUBSCRIBED:
        if (state == State.SUBSCRIBING) {
          state = State.UNSUBSCRIBING;
          c.sendText("{\"type\":\"unsubscribe\",\"id\":\"u\",\"topic\":\"" + topic + "\"}");
        }
        break;
      case UNSUBSCRIBED:
        if (state == State.UNSUBSCRIBING) {
          state = State.IDLE;
          load.completed(dueNanos, nowNanos);
        }
        break;
      case PING:
        c.send(FrameSniffer.PONG);
        break;
      case ERROR:
        rig.tally.error("churn connection " + index + ": " + FrameSniffer.text(b, offset, length));
        if (state != State.IDLE) {
          state = State.IDLE;
          load.failed();
        }
        break;
      default:
        break;
    }
  }

  @Override
  public void onClose(BenchSocket c, int code, String reason) {
    rig.closed("churn connection " + index, c, code, reason);
  }
}
