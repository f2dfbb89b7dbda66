package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.PresenceMember;
import dev.switchboard.client.PresencePage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The presence frames: requests as the protocol writes them, answers decoded with each member's info as sent. */
class PresenceQueriesTest {

  @Test
  void encodesPresenceRequestsAndSubscribeInfo() {
    assertThat(Frames.subscribe("s1", "room.a", null, false, "{\"name\":\"Ada\"}", false))
        .isEqualTo("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"room.a\",\"info\":{\"name\":\"Ada\"}}");
    assertThat(Frames.presence("q1", "room.a", null, 0))
        .isEqualTo("{\"type\":\"presence\",\"id\":\"q1\",\"topic\":\"room.a\"}");
    assertThat(Frames.presence("q2", "room.a", "c\"7", 3))
        .isEqualTo("{\"type\":\"presence\",\"id\":\"q2\",\"topic\":\"room.a\",\"after\":\"c\\\"7\",\"limit\":3}");
    assertThat(Frames.presenceStats("q3", "room.a"))
        .isEqualTo("{\"type\":\"presence_stats\",\"id\":\"q3\",\"topic\":\"room.a\"}");
  }

  @Test
  void decodesAPageWithEachInfoAsSent() throws IOException {
    Frame f = Frames.parse("{\"type\":\"presence\",\"id\":\"q1\",\"topic\":\"room.a\",\"members\":["
        + "{\"client\":\"c1\",\"user\":\"ada\",\"info\":{\"name\":\"Ada\",\"tags\":[1, 2]},\"node\":\"n1\"},"
        + "{\"client\":\"c2\",\"user\":null,\"info\":7,\"node\":\"n2\"},"
        + "{\"client\":\"c3\",\"user\":null,\"info\":null,\"node\":\"n2\",\"later\":{\"x\":[]}}],\"next\":\"c3\"}");
    PresencePage page = PresenceQueries.page(f);
    assertThat(page.topic()).isEqualTo("room.a");
    assertThat(page.next()).isEqualTo("c3");
    List<PresenceMember> m = page.members();
    assertThat(m).extracting(PresenceMember::client).containsExactly("c1", "c2", "c3");
    assertThat(m).extracting(PresenceMember::user).containsExactly("ada", null, null);
    assertThat(m).extracting(PresenceMember::node).containsExactly("n1", "n2", "n2");
    assertThat(m).extracting(PresenceMember::infoJson)
        .containsExactly("{\"name\":\"Ada\",\"tags\":[1, 2]}", "7", "null");
    assertThat(m.get(0).info()).isEqualTo(Map.of("name", "Ada", "tags", List.of(1, 2)));
  }

  @Test
  void decodesCounts() throws IOException {
    Frame f = Frames.parse("{\"type\":\"presence_stats\",\"id\":\"q1\",\"topic\":\"room.a\",\"clients\":3,"
        + "\"users\":2}");
    assertThat(f.clients()).isEqualTo(3);
    assertThat(f.users()).isEqualTo(2);
    assertThat(Frames.parse("{\"type\":\"presence\",\"members\":[],\"next\":null}").next()).isNull();
  }
}
