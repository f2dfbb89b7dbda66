package dev.switchboard.broker.session;

import dev.switchboard.broker.auth.Access;
import dev.switchboard.broker.auth.Admission;
import dev.switchboard.broker.presence.Page;
import dev.switchboard.broker.presence.PresenceCounts;
import dev.switchboard.broker.presence.PresenceEntry;
import dev.switchboard.broker.presence.PresenceView;
import dev.switchboard.broker.wire.ClientFrame;
import dev.switchboard.broker.wire.ServerFrames;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Topics;

/**
 * A client's {@code presence} and {@code presence_stats} requests, answered from the node's copy of the cluster's
 * presence. Asking about a topic takes what subscribing to it takes (the grant, the rate); the topic must be one that
 * {@code --presence} covers.
 */
final class PresenceReplies {
  private PresenceReplies() {
  }

  static byte[] answer(ClientFrame frame, Access access, PresenceView presence) {
    String problem = Topics.checkTopic(frame.topic);
    if (problem != null) {
      return ServerFrames.error(frame.id, ErrorCode.INVALID_TOPIC, problem);
    }
    Admission.Refused refused = Admission.subscribe(frame.topic, 0, Integer.MAX_VALUE, access);
    if (refused != null) {
      return ServerFrames.error(frame.id, refused.code(), refused.message());
    }
    if (!presence.covers(frame.topic)) {
      return ServerFrames.error(frame.id, ErrorCode.NOT_ENABLED, "the node keeps no presence for " + frame.topic);
    }
    if (frame.type == ClientFrame.Type.PRESENCE_STATS) {
      PresenceCounts counts = presence.counts(frame.topic);
      return ServerFrames.utf8(ServerFrames.replyStart("presence_stats", frame.id, frame.topic)
          .append(",\"clients\":").append(counts.clients()).append(",\"users\":").append(counts.users())
          .append('}').toString());
    }
    Page<PresenceEntry> page = presence.members(frame.topic, frame.after, frame.limit);
    StringBuilder json = ServerFrames.replyStart("presence", frame.id, frame.topic).append(",\"members\":[");
    for (int i = 0; i < page.items().size(); i++) {
      PresenceEntry e = page.items().get(i);
      json.append(i == 0 ? "" : ",").append("{\"client\":").append(ServerFrames.quote(e.client()))
          .append(",\"user\":").append(ServerFrames.quote(e.user()))
          .append(",\"info\":").append(e.info() == null ? "null" : e.info())
          .append(",\"node\":").append(ServerFrames.quote(e.node())).append('}');
    }
    return ServerFrames.utf8(json.append("],\"next\":").append(ServerFrames.quote(page.next())).append('}')
        .toString());
  }
}
