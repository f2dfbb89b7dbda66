package dev.switchboard.bench.fanout;

import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;

/**
 * One subscribing connection: subscribes to its topic, counts each delivery in the rig's tally (a delivery for
 * another topic is a problem), answers pings.
 */
final class LoadSubscriber implements WsListener {
  final int index;
  private final Rig rig;
  private final int topic;
  private final Payload.Parsed parsed = new Payload.Parsed();
  /** Where the data starts in this subscriber's history frames ({@link FrameSniffer#dataStart}). */
  private final int[] dataHint = new int[1];
  private boolean ready;
  BenchSocket connection;

  /** {@code topic}: an index into the rig's topics. */
  LoadSubscriber(Rig rig, int index, int topic) {
    this.rig = rig;
    this.index = index;
    this.topic = topic;
  }

  @Override
  public void onOpen(BenchSocket c) {
    if (rig.target.subscribes()) {
      c.sendText("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + rig.topics.name(topic) + "\"}");
    } else {
      ready();
    }
  }

  @Override
  public void onText(BenchSocket c, ByteBuffer b, int offset, int length, long nowNanos) {
    switch (FrameSniffer.type(b, offset, length)) {
      case MESSAGE:
        int data = FrameSniffer.dataStart(b, offset, length, rig.topics.deliveryPrefix(topic),
            rig.topics.field(topic), dataHint);
        if (data == FrameSniffer.OTHER_TOPIC) {
          rig.tally.malformed("subscriber " + index + " of " + rig.topics.name(topic) + " received a message of"
              + " another topic: " + FrameSniffer.text(b, offset, length));
        } else if (data >= 0 && Payload.parse(b, data, offset + length, parsed)) {
          rig.tally.delivery(index, parsed, nowNanos);
        } else {
          rig.tally.malformed("subscriber " + index + ": " + FrameSniffer.text(b, offset, length));
        }
        break;
      case PING:
        c.send(FrameSniffer.PONG);
        break;
      case SUBSCRIBED:
        ready();
        break;
      case ERROR:
        rig.tally.error("subscriber " + index + ": " + FrameSniffer.text(b, offset, length));
        break;
      default:
        break;
    }
  }

  @Override
  public void onClose(BenchSocket c, int code, String reason) {
    rig.closed("subscriber " + index, c, code, reason);
  }

  private void ready() {
    if (!ready) {
      ready = true;
      rig.ready();
    }
  }
}
