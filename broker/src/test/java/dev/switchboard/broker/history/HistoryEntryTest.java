package dev.switchboard.broker.history;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A history topic's stored entry: the publisher's data in UTF-8, byte for byte as String.getBytes has it, then the stamp. */
class HistoryEntryTest {
  @ParameterizedTest
  @ValueSource(strings = {"null", "\"\"", "{\"a\": 1.50}", "\"caf\u00e9\"", "\"\u20ac \u65e5\u672c\u8a9e\"",
      "\"\ud834\udd1e \ud83d\ude00\"", "\"lone \ud800 x \udc00\"", "\"end \ud83d\"", "\"\u007f\u0080\u07ff\u0800\uffff\""})
  void isTheDataInUtf8ThenThePublishStamp(String data) {
    for (long stamp : new long[] {0, 9, 10, 1718000000123L, Long.MAX_VALUE, -5}) {
      byte[] entry = HistoryEntry.of(data, stamp);
      assertThat(entry).as(data + " @ " + stamp)
          .isEqualTo((data + ",\"published_at\":" + stamp).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(HistoryEntry.utf8Length(data)).isEqualTo(data.getBytes(StandardCharsets.UTF_8).length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "{}", "{\"type\":\"join\"}", "\"}\"", "[null,\"}\"]"})
  void noMessageEntryIsTakenForAnEvent(String data) {
    for (long stamp : new long[] {0, 1718000000123L, -5}) {
      assertThat(HistoryEntry.isEvent(HistoryEntry.of(data, stamp))).as(data + " @ " + stamp).isFalse();
    }
    assertThat(HistoryEntry.isEvent(data.getBytes(StandardCharsets.UTF_8))).as("earlier form: " + data).isFalse();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1718000000123L, -5})
  void anEventIsAMessageOfNullDataToAnEarlierNodeAndKnownByANewOne(long stamp) {
    String event = "{\"type\":\"leave\",\"user\":\"ad\u00e9\",\"client\":\"c1\",\"node\":\"n1\",\"info\":{\"a\":[1]}}";
    byte[] entry = HistoryEntry.event(event, stamp);
    assertThat(new String(entry, StandardCharsets.UTF_8))
        .isEqualTo("null,\"published_at\":" + stamp + ",\"presence\":" + event);
    assertThat(HistoryEntry.isEvent(entry)).isTrue();
    assertThat(new String(entry, HistoryEntry.eventStart(entry), entry.length - HistoryEntry.eventStart(entry),
        StandardCharsets.UTF_8)).isEqualTo(event);
  }
}
