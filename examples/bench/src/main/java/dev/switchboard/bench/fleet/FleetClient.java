package dev.switchboard.bench.fleet;

import dev.switchboard.bench.fanout.FrameSniffer;
import dev.switchboard.bench.fanout.Payload;
import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.WsFrames;
import dev.switchboard.bench.ws.WsListener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection of a generator: on open sends {@code hello} and subscribes to {@value #ALL} and to its group topic,
 * answers the node's pings, and hands every delivery and close to the {@link FleetTally}. Holds only its number.
 */
final class FleetClient implements WsListener {
  static final String ALL = "fleet.all";
  private static final byte[] HELLO = WsFrames.text("{\"type\":\"hello\",\"id\":\"h\"}");
  private static final byte[] SUBSCRIBE_ALL = WsFrames.text("{\"type\":\"subscribe\",\"id\":\"a\",\"topic\":\"" + ALL
      + "\"}");
  private static final byte[] PREFIX = ("{\"type\":\"message\",\"topic\":\"" + ALL + "\",\"data\":\"")
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOPIC = FrameSniffer.topicField(ALL);

  private final FleetTally tally;
  private final int index;

  FleetClient(FleetTally tally, int index) {
    this.tally = tally;
    this.index = index;
  }

  @Override
  public void onOpen(BenchSocket c) {
    tally.opened(index);
    c.send(HELLO);
    c.send(SUBSCRIBE_ALL);
    c.sendText("{\"type\":\"subscribe\",\"id\":\"g\",\"topic\":\"" + tally.group(index) + "\"}");
  }

  @Override
  public void onText(BenchSocket c, ByteBuffer b, int offset, int length, long nowNanos) {
    switch (FrameSniffer.type(b, offset, length)) {
      case MESSAGE:
        int data = FrameSniffer.dataStart(b, offset, length, PREFIX, TOPIC);
        if (data >= 0 && Payload.parse(b, data, offset + length, tally.parsed)) {
          tally.delivery(index, nowNanos);
        } else {
          tally.malformed(index, FrameSniffer.text(b, offset, length));
        }
        break;
      case PING:
        c.send(FrameSniffer.PONG);
        tally.pinged();
        break;
      case SUBSCRIBED:
        tally.subscribed(index);
        break;
      case ERROR:
        tally.error(index, FrameSniffer.text(b, offset, length));
        break;
      default:
        break;
    }
  }

  @Override
  public void onClose(BenchSocket c, int code, String reason) {
    tally.closed(index, code, reason);
  }
}
