package dev.switchboard.broker.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * A copy of one node's slice as it travels: {@code {"s": <the number of its last batch>, "m": [[topic, client,
 * user, info], …], "c": {topic: subscribers, …}, "u": [user, …]}}.
 */
final class Replica {
  private Replica() {
  }

  static JsonObject json(ClusterState.Slice slice, long seq) {
    JsonArray members = new JsonArray();
    slice.members.forEach((topic, entries) -> entries.values().forEach(e ->
        members.add(new JsonArray().add(topic).add(e.client()).add(e.user()).add(e.info()))));
    JsonObject counts = new JsonObject();
    slice.subscribers.forEach(counts::put);
    return new JsonObject().put("s", seq).put("m", members).put("c", counts)
        .put("u", new JsonArray(new ArrayList<>(slice.users)));
  }

  static ClusterState.Slice slice(JsonObject json, String node) {
    ClusterState.Slice slice = new ClusterState.Slice();
    JsonArray members = json.getJsonArray("m");
    for (int i = 0; i < members.size(); i++) {
      JsonArray m = members.getJsonArray(i);
      Map<String, PresenceEntry> entries = slice.members.computeIfAbsent(m.getString(0), t -> new HashMap<>());
      entries.put(m.getString(1), new PresenceEntry(m.getString(1), m.getString(2), m.getString(3), node));
    }
    json.getJsonObject("c").forEach(e -> slice.subscribers.put(e.getKey(), ((Number) e.getValue()).intValue()));
    json.getJsonArray("u").forEach(user -> slice.users.add((String) user));
    return slice;
  }
}
