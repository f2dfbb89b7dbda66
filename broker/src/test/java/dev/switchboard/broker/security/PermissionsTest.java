package dev.switchboard.broker.security;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims grant topics, over real sockets on two nodes: a subscriber never receives a message it may not read, not
 * through a wildcard either, and a publisher cannot publish outside its grants.
 */
class PermissionsTest {
  private static Vertx signing;
  private static Tokens tokens;

  @BeforeAll
  static void keys() {
    signing = Vertx.vertx();
    tokens = Tokens.hs256(signing, AuthTest.SECRET);
  }

  @AfterAll
  static void close() {
    signing.close();
  }

  @Test
  void nothingLeaksToASubscriberWithoutPermission() {
    try (TestCluster cluster = TestCluster.of(2, AuthTest.required(s -> { }))) {
      // The publisher may publish anywhere; bob may read public.> and his own inbox only.
      Probe publisher = AuthTest.authenticated(cluster, tokens.token("root", List.of(">"), List.of(), 600));
      String bobToken = tokens.token("bob", List.of("public.chat"), List.of("public.>", "user:bob.*"), 600);
      Probe bob = open(cluster, 1, bobToken);
      for (String topic : List.of(">", "*", "*.*", "private.*", "private.>", "*.alice", "user:alice.inbox",
          "*.inbox", "public", "*.news", "user:bob.>")) {
        bob.send(new JsonObject().put("type", "subscribe").put("id", topic).put("topic", topic).encode());
        JsonObject answer = bob.nextMatching(f -> topic.equals(f.getString("id")));
        assertThat(answer.getString("code")).as(topic).isEqualTo("forbidden");
      }
      for (String topic : List.of("public.>", "public.*", "public.news", "user:bob.inbox", "user:bob.*")) {
        bob.send(new JsonObject().put("type", "subscribe").put("id", topic).put("topic", topic).encode());
        assertThat(bob.nextMatching(f -> topic.equals(f.getString("id"))).getString("type")).as(topic)
            .isEqualTo("subscribed");
      }
      // Publish everywhere until a canary on a readable topic has arrived, then check what bob got.
      AtomicInteger round = new AtomicInteger();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        int n = round.incrementAndGet();
        for (String topic : List.of("private.x", "private.x.y", "user:alice.inbox", "secret", "publicity.x",
            "public", "public.news", "user:bob.inbox")) {
          publisher.send(new JsonObject().put("type", "publish").put("topic", topic).put("data", n).encode());
        }
        return bob.all("message").stream().anyMatch(m -> m.getString("topic").equals("user:bob.inbox"))
            && bob.all("message").stream().anyMatch(m -> m.getString("topic").equals("public.news"));
      });
      // A last canary, so that everything published before it has been delivered.
      publisher.send("{\"type\":\"publish\",\"topic\":\"public.news\",\"data\":\"last\"}");
      bob.nextMatching(f -> "last".equals(f.getValue("data")));
      for (JsonObject message : bob.all("message")) {
        String topic = message.getString("topic");
        assertThat(topic.equals("public.news") || topic.equals("user:bob.inbox")).as(topic).isTrue();
      }
      // Bob publishes only where granted.
      bob.send("{\"type\":\"publish\",\"id\":\"p1\",\"topic\":\"public.chat\",\"data\":1}");
      assertThat(bob.nextMatching(f -> "p1".equals(f.getString("id"))).getString("type")).isEqualTo("ack");
      bob.send("{\"type\":\"publish\",\"id\":\"p2\",\"topic\":\"public.news\",\"data\":1}");
      assertThat(bob.nextMatching(f -> "p2".equals(f.getString("id"))).getString("code")).isEqualTo("forbidden");
      assertThat(cluster.node(1).stats().refusals("forbidden")).isEqualTo(12);
      publisher.close();
      bob.close();
    }
  }

  private static Probe open(TestCluster cluster, int node, String token) {
    Probe p = Probe.open(cluster.clients(), cluster.node(node).port(),
        o -> o.addHeader("Authorization", "Bearer " + token));
    p.next("welcome");
    p.next("authenticated");
    return p;
  }
}
