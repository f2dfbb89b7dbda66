package dev.switchboard.broker.auth;

import dev.switchboard.protocol.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GrantsTest {

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
      "a.b, a.b, true",
      "a.b, a.c, false",
      "a.b, a.*, false",
      "a.b, a.>, false",
      "a.*, a.b, true",
      "a.*, a.*, true",
      "a.*, a.>, false",
      "a.*, a.b.c, false",
      "a.*, a, false",
      "a.>, a.b, true",
      "a.>, a.*, true",
      "a.>, a.>, true",
      "a.>, a.b.c.d, true",
      "a.>, a.*.>, true",
      "a.>, a, false",
      "a.>, b.>, false",
      "a.>, *.b, false",
      "a.>, >, false",
      ">, a, true",
      ">, >, true",
      ">, *.*.>, true",
      "*, a, true",
      "*, *, true",
      "*, >, false",
      "*, a.b, false",
      "*.b, a.b, true",
      "*.b, *.b, true",
      "*.b, *.c, false",
      "*.b, a.*, false",
      "*.>, a.b, true",
      "*.>, a, false",
      "*.>, >, false",
      "*.>, *.*, true",
      "a.*.c, a.b.c, true",
      "a.*.c, a.*.c, true",
      "a.*.c, a.*.>, false",
      "a.*.>, a.b.c, true",
      "a.*.>, a.>, false",
      "user:17.>, user:17.inbox, true",
      "user:17.>, user:1.inbox, false",
      "user:17.>, user:170.inbox, false",
  })
  void covers(String grant, String pattern, boolean covered) {
    assertThat(Grants.covers(grant, pattern)).isEqualTo(covered);
  }

  /**
   * Checked against the definition: a grant covers a pattern exactly when every topic the pattern matches is matched
   * by the grant. Over a small alphabet, the topics a pattern can match are enumerable up to a depth where a wrong
   * answer would show (a '>' stands for one or two more segments, a '*' for each of the letters plus one unseen).
   */
  @Test
  void coversAgreesWithTheDefinitionOnRandomPatterns() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String grant = randomPattern(random);
      String pattern = randomPattern(random);
      boolean byDefinition = expand(pattern).stream().allMatch(topic -> Topics.matches(grant, topic));
      assertThat(Grants.covers(grant, pattern)).as(grant + " covers " + pattern).isEqualTo(byDefinition);
    }
  }

  @Test
  void publishNeedsAMatchingGrantSubscribeACoveringOne() {
    Grants grants = Grants.of(List.of("chat.>", "news.eu"), List.of("news.*", "user:alice.>"));
    assertThat(grants.mayPublish("chat.room1")).isTrue();
    assertThat(grants.mayPublish("news.eu")).isTrue();
    assertThat(grants.mayPublish("news.us")).isFalse();
    assertThat(grants.mayPublish("chat")).isFalse();
    assertThat(grants.maySubscribe("news.eu")).isTrue();
    assertThat(grants.maySubscribe("news.*")).isTrue();
    assertThat(grants.maySubscribe("news.>")).isFalse();
    assertThat(grants.maySubscribe("*.eu")).isFalse();
    assertThat(grants.maySubscribe(">")).isFalse();
    assertThat(grants.maySubscribe("user:alice.inbox")).isTrue();
    assertThat(grants.maySubscribe("user:bob.inbox")).isFalse();
    assertThat(Grants.of(List.of(), List.of()).maySubscribe("a")).isFalse();
    assertThat(Grants.ALL.maySubscribe(">")).isTrue();
    assertThat(Grants.ALL.mayPublish("x.y")).isTrue();
  }

  private static final String[] LETTERS = {"a", "b"};

  private static String randomPattern(Random random) {
    int depth = 1 + random.nextInt(4);
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      int r = random.nextInt(10);
      if (i == depth - 1 && r < 2) {
        segments.add(">");
      } else if (r < 5) {
        segments.add("*");
      } else {
        segments.add(LETTERS[random.nextInt(LETTERS.length)]);
      }
    }
    return String.join(".", segments);
  }

  /** Concrete topics the pattern matches: every letter and one letter no pattern uses for '*', 1-2 for '>'. */
  private static List<String> expand(String pattern) {
    List<String> out = new ArrayList<>();
    out.add("");
    for (String segment : pattern.split("\\.")) {
      List<String> next = new ArrayList<>();
      for (String prefix : out) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        if (segment.equals("*")) {
          next.add(p + "a");
          next.add(p + "b");
          next.add(p + "z");
        } else if (segment.equals(">")) {
          for (String one : List.of("a", "b", "z")) {
            next.add(p + one);
            for (String two : List.of("a", "z")) {
              next.add(p + one + "." + two);
            }
          }
          next.add(p + "a.b.z.a.b");
        } else {
          next.add(p + segment);
        }
      }
      out = next;
    }
    return out;
  }
}
