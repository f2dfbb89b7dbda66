package dev.switchboard.broker.security;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate and topic limits over real sockets: each refusal answered with its documented code, and counted. */
class LimitsTest {

  @Test
  void publishRatePerConnection() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security().publishRate(5))) {
      Probe p = Probe.connect(cluster.clients(), cluster.node(0).port());
      List<String> codes = answers(p, "publish", 40);
      assertThat(codes).contains("ack", "rate_limited");
      assertThat(codes.stream().filter("ack"::equals).count()).isBetween(5L, 15L);
      assertThat(cluster.node(0).stats().refusals("rate_limited")).isEqualTo(codes.stream()
          .filter("rate_limited"::equals).count());
      p.close();
    }
  }

  @Test
  void publishRatePerUserAcrossConnections() {
    Vertx signing = Vertx.vertx();
    try (TestCluster cluster = TestCluster.of(1, AuthTest.required(s -> s.publishRate(0).userPublishRate(6)))) {
      Tokens tokens = Tokens.hs256(signing, AuthTest.SECRET);
      String token = tokens.token("alice", List.of(">"), List.of(), 600);
      Probe a = AuthTest.authenticated(cluster, token);
      Probe b = AuthTest.authenticated(cluster, token);
      List<String> codes = new ArrayList<>(answers(a, "publish", 20));
      codes.addAll(answers(b, "publish", 20));
      assertThat(codes.stream().filter("ack"::equals).count()).isBetween(6L, 16L);
      // Another user has a bucket of its own.
      Probe other = AuthTest.authenticated(cluster, tokens.token("bob", List.of(">"), List.of(), 600));
      assertThat(answers(other, "publish", 3)).containsOnly("ack");
      a.close();
      b.close();
      other.close();
    } finally {
      signing.close();
    }
  }

  @Test
  void subscribeRatePerConnection() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security().subscribeRate(5))) {
      Probe p = Probe.connect(cluster.clients(), cluster.node(0).port());
      List<String> codes = answers(p, "subscribe", 30);
      assertThat(codes).contains("subscribed", "rate_limited");
      p.close();
    }
  }

  @Test
  void topicLengthAndDepth() {
    try (TestCluster cluster = TestCluster.of(1, o -> o.security().maxTopicLength(12).maxTopicDepth(3))) {
      Probe p = Probe.connect(cluster.clients(), cluster.node(0).port());
      assertThat(answer(p, "publish", "a.b.c")).isEqualTo("ack");
      assertThat(answer(p, "publish", "a.b.c.d")).isEqualTo("invalid_topic");
      assertThat(answer(p, "publish", "abcdefghijklm")).isEqualTo("invalid_topic");
      assertThat(answer(p, "subscribe", "a.*.>")).isEqualTo("subscribed");
      assertThat(answer(p, "subscribe", "a.*.*.>")).isEqualTo("invalid_topic");
      assertThat(answer(p, "subscribe", "abcdefghijkl.>")).isEqualTo("invalid_topic");
      assertThat(cluster.node(0).stats().refusals("topic_limit")).isEqualTo(4);
      p.close();
    }
  }

  /** Sends {@code count} requests of {@code type} on distinct topics at once; the type or code of each answer. */
  private static List<String> answers(Probe p, String type, int count) {
    for (int i = 0; i < count; i++) {
      p.ws.writeTextMessage(frame(type, "r" + i, "t.n" + i));
    }
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "r" + i;
      JsonObject answer = p.nextMatching(f -> id.equals(f.getString("id")));
      codes.add(answer.getString("type").equals("error") ? answer.getString("code") : answer.getString("type"));
    }
    return codes;
  }

  private static String answer(Probe p, String type, String topic) {
    p.send(frame(type, "one", topic));
    JsonObject answer = p.nextMatching(f -> "one".equals(f.getString("id")));
    return answer.getString("type").equals("error") ? answer.getString("code") : answer.getString("type");
  }

  private static String frame(String type, String id, String topic) {
    JsonObject frame = new JsonObject().put("type", type).put("id", id).put("topic", topic);
    if (type.equals("publish")) {
      frame.put("data", 1);
    }
    return frame.encode();
  }
}
