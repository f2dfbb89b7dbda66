package dev.switchboard.broker.routing;

import dev.switchboard.protocol.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PatternIndexTest {

  @Test
  void findsExactlyTheMatchingPatterns() {
    PatternIndex index = new PatternIndex();
    for (String p : List.of("news.*", "news.>", "*.eu", ">", "news.eu", "a.*.c", "news.*.fr")) {
      index.add(p);
    }
    assertThat(index.matching("news.eu")).containsExactlyInAnyOrder("news.*", "news.>", "*.eu", ">", "news.eu");
    assertThat(index.matching("news.eu.fr")).containsExactlyInAnyOrder("news.>", ">", "news.*.fr");
    assertThat(index.matching("news")).containsExactlyInAnyOrder(">");
    assertThat(index.matching("a.b.c")).containsExactlyInAnyOrder(">", "a.*.c");
    assertThat(index.matching("sports.eu")).containsExactlyInAnyOrder("*.eu", ">");
  }

  @Test
  void countsReferencesAndForgetsEmptyBranches() {
    PatternIndex index = new PatternIndex();
    index.add("a.*.c");
    index.add("a.*.c");
    index.remove("a.*.c");
    assertThat(index.matching("a.b.c")).containsExactly("a.*.c");
    index.remove("a.*.c");
    assertThat(index.matching("a.b.c")).isEmpty();
    assertThat(index.isEmpty()).isTrue();
    index.remove("never.added");
    index.add("x.>");
    index.remove("x.>");
    assertThat(index.isEmpty()).isTrue();
  }

  @Test
  void agreesWithTheGrammarsMatcherOnRandomInput() {
    Random random = new Random(42);
    String[] words = {"a", "b", "c", "*"};
    List<String> patterns = new ArrayList<>();
    PatternIndex index = new PatternIndex();
    for (int i = 0; i < 200; i++) {
      StringBuilder p = new StringBuilder();
      int depth = 1 + random.nextInt(4);
      for (int d = 0; d < depth; d++) {
        p.append(d == 0 ? "" : ".").append(d == depth - 1 && random.nextInt(4) == 0 ? ">" : words[random.nextInt(4)]);
      }
      if (Topics.isPattern(p.toString()) && !patterns.contains(p.toString())) {
        patterns.add(p.toString());
        index.add(p.toString());
      }
    }
    for (int i = 0; i < 500; i++) {
      StringBuilder t = new StringBuilder();
      int depth = 1 + random.nextInt(5);
      for (int d = 0; d < depth; d++) {
        t.append(d == 0 ? "" : ".").append(words[random.nextInt(3)]);
      }
      String topic = t.toString();
      List<String> expected = patterns.stream().filter(p -> Topics.matches(p, topic)).toList();
      assertThat(index.matching(topic)).as(topic).containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
