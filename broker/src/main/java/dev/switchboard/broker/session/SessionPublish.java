package dev.switchboard.broker.session;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Admission;
import dev.switchboard.broker.routing.Hub;
import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;

/**
 * A session's {@code publish}: admitted by the connection's grants and rate, refused while the node is cut off from
 * the cluster, answered with {@code ack} (once stored, on a history topic) or {@code error}, in the order of requests.
 */
final class SessionPublish {
  private SessionPublish() {
  }

  static void publish(ClientFrame frame, Hub hub, Access access, Replies replies, SessionAuth.Owner session) {
    Admission.Refused refused = Admission.publish(frame.topic, access);
    if (refused != null) {
      session.refuse(frame.id, refused.code(), refused.message());
      return;
    }
    String cutOff = hub.publishRefusal();
    if (cutOff != null) {
      session.refuse(frame.id, ErrorCode.UNAVAILABLE, cutOff);
      return;
    }
    Future<Long> stored = hub.publish(frame.topic, frame.data);
    if (stored == null) {
      if (frame.id != null) {
        replies.reply(() -> ServerFrames.ack(frame.id));
      }
      return;
    }
    replies.replyWhen(stored, () -> {
      if (stored.succeeded()) {
        return frame.id == null ? null : ServerFrames.ack(frame.id, hub.epoch(), stored.result());
      }
      hub.stats.error();
      return ServerFrames.error(frame.id, ErrorCode.UNAVAILABLE, "the message could not be stored in the cluster: "
          + stored.cause().getMessage());
    }, null);
  }
}
