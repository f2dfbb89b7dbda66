package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Target;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The topics of a rig, by index, with the bytes that subscribers and publishers use for each, made once and shared:
 * the delivery prefix and {@code "topic":"..."} field subscribers check, the publish prefix and suffix publishers
 * write.
 */
final class FanoutTopics {
  private final List<String> names;
  private final byte[][] deliveryPrefixes;
  private final byte[][] fields;
  final byte[][] publishPrefixes;
  /** What follows the data of every topic's publish frame: {@link Target#publishSuffix}. */
  final String publishSuffix;

  FanoutTopics(Target target, List<String> names) {
    this.names = List.copyOf(names);
    int n = names.size();
    deliveryPrefixes = new byte[n][];
    fields = new byte[n][];
    for (int i = 0; i < n; i++) {
      deliveryPrefixes[i] = Target.deliveryPrefix(names.get(i)).getBytes(StandardCharsets.UTF_8);
      fields[i] = FrameSniffer.topicField(names.get(i));
    }
    publishPrefixes = Payload.prefixes(names.stream().map(target::publishPrefix).toList());
    publishSuffix = target.publishSuffix();
  }

  int count() {
    return names.size();
  }

  String name(int topic) {
    return names.get(topic);
  }

  byte[] deliveryPrefix(int topic) {
    return deliveryPrefixes[topic];
  }

  byte[] field(int topic) {
    return fields[topic];
  }
}
