package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  private static String segments(int n) {
    return String.join(".", java.util.Collections.nCopies(n, "s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"news", "news.eu", "chat.room-42", "user:17.inbox", "a_b.c@d.e=f", "A.Z.0.9"})
  void validTopics(String topic) {
    assertThat(Topics.checkTopic(topic)).isNull();
    assertThat(Topics.checkPattern(topic)).isNull();
    assertThat(Topics.isPattern(topic)).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".", "a.", ".a", "a..b", "a b", "a$b", "$sys", "caf\u00e9", "a/b", "a#b", "a\tb"})
  void invalidTopicsAndPatterns(String topic) {
    assertThat(Topics.checkTopic(topic)).isNotNull();
    assertThat(Topics.checkPattern(topic)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", ">", "news.*", "news.>", "*.eu", "a.*.c", "*.>", "*.*"})
  void wildcardsOnlyInPatterns(String pattern) {
    assertThat(Topics.checkPattern(pattern)).isNull();
    assertThat(Topics.isPattern(pattern)).isTrue();
    assertThat(Topics.checkTopic(pattern)).contains("wildcards");
  }

  @ParameterizedTest
  @ValueSource(strings = {"news.>.eu", ">.a", "news*", "ne*ws", "news.>x", "a.**", "a.*>", "a.>>"})
  void malformedPatterns(String pattern) {
    assertThat(Topics.checkPattern(pattern)).isNotNull();
  }

  @Test
  void lengthLimit() {
    String max = "a".repeat(Topics.MAX_LENGTH);
    assertThat(Topics.checkTopic(max)).isNull();
    assertThat(Topics.checkTopic(max + "a")).contains("longer than 255");
  }

  @Test
  void segmentLimit() {
    assertThat(Topics.checkTopic(segments(Topics.MAX_SEGMENTS))).isNull();
    assertThat(Topics.checkTopic(segments(Topics.MAX_SEGMENTS + 1))).contains("more than 16 segments");
    assertThat(Topics.checkPattern(segments(Topics.MAX_SEGMENTS) + ".>")).contains("more than 16 segments");
  }

  @ParameterizedTest
  @CsvSource({
      "news.eu, news.eu, true",
      "news.eu, news.e, false",
      "news.eu, news.eus, false",
      "news.eu, news.eu.fr, false",
      "news, news.eu, false",
      "news.*, news.eu, true",
      "news.*, news, false",
      "news.*, news.eu.fr, false",
      "*.eu, news.eu, true",
      "*.eu, news.us, false",
      "a.*.c, a.b.c, true",
      "a.*.c, a.b.d, false",
      "*, a, true",
      "*, a.b, false",
      "news.>, news.eu, true",
      "news.>, news.eu.fr, true",
      "news.>, news, false",
      "news.>, sport.eu, false",
      ">, a, true",
      ">, a.b.c, true",
      "*.>, a, false",
      "*.>, a.b, true",
  })
  void matches(String pattern, String topic, boolean expected) {
    assertThat(Topics.matches(pattern, topic)).isEqualTo(expected);
  }
}
