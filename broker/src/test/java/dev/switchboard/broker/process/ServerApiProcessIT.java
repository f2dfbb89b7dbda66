package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server API and presence across three launcher processes that require tokens: a broadcast through one node
 * reaches the subscribers of every topic named on every node; a disconnect through one node closes the user's
 * connections on the others with 4501; presence counts are exact on every node after connect/disconnect loops on all
 * three; a member that does not answer a disconnect (frozen) is counted as not answering, and the others' connections
 * close all the same.
 */
@ExtendWith(ProcessReaper.class)
class ServerApiProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "server-api-process-secret-0123456789-abcdef";
  private static final AtomicInteger IDS = new AtomicInteger();

  @Test
  void broadcastDisconnectAndCountsUnderChurnAcrossThreeProcesses() throws IOException {
    Path secret = Files.createTempFile("switchboard-secret", ".txt");
    secret.toFile().deleteOnExit();
    Files.writeString(secret, SECRET + "\n");
    try (Probes probes = new Probes();
        ProcessCluster cluster = ProcessCluster.start(3, "--presence", "it.api.>", "--auth", "required",
            "--auth-secret-file", secret.toString(), "--api-key-file", ServerApiCalls.keyFile().toString())) {
      Tokens tokens = Tokens.hs256(probes.vertx, SECRET);
      // One subscriber of each of three topics on every node.
      List<Probe> subscribers = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        for (String topic : List.of("it.api.a", "it.api.b", "it.api.c")) {
          Probe p = as(probes, tokens, cluster.node(n), "reader" + n);
          request(p, "subscribe", topic);
          subscribers.add(p);
        }
      }
      Probe asker = as(probes, tokens, cluster.node(1), "asker");
      await().atMost(WAIT).until(() -> count(asker, "it.api.a") == 3);

      HttpResponse<String> broadcast = ServerApiCalls.to(cluster.node(0).port()).post("/broadcast",
          "{\"topics\":[\"it.api.a\",\"it.api.b\",\"it.api.c\"],\"data\":{\"n\":1}}");
      assertThat(broadcast.statusCode()).as(broadcast.body()).isEqualTo(200);
      for (Probe p : subscribers) {
        assertThat(p.nextMatching(f -> "message".equals(f.getString("type"))).getJsonObject("data").getInteger("n"))
            .isEqualTo(1);
      }

      Probe banned1 = as(probes, tokens, cluster.node(1), "banned");
      Probe banned2 = as(probes, tokens, cluster.node(2), "banned");
      HttpResponse<String> disconnect = ServerApiCalls.to(cluster.node(0).port()).post("/disconnect",
          "{\"user\":\"banned\"}");
      assertThat(disconnect.statusCode()).as(disconnect.body()).isEqualTo(200);
      assertThat(new JsonObject(disconnect.body()).getInteger("closed")).isEqualTo(2);
      assertThat(banned1.awaitClose()).isEqualTo((short) 4501);
      assertThat(banned2.awaitClose()).isEqualTo((short) 4501);

      // Churn: every round, a connection per node subscribes and one of them closes or unsubscribes.
      List<Probe> stay = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (int n = 0; n < 3; n++) {
          Probe passing = as(probes, tokens, cluster.node(n), "churn" + round + "-" + n);
          request(passing, "subscribe", "it.api.churn");
          if (n == 0) {
            stay.add(passing);
          } else if (n == 1) {
            passing.close();
          } else {
            passing.send("{\"type\":\"unsubscribe\",\"topic\":\"it.api.churn\"}");
          }
        }
      }
      List<Probe> askers = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        Probe a = as(probes, tokens, cluster.node(n), "counter" + n);
        askers.add(a);
      }
      for (Probe a : askers) {
        await().atMost(WAIT).until(() -> count(a, "it.api.churn") == stay.size());
      }
      JsonObject stats = new JsonObject(ServerApiCalls.to(cluster.node(2).port())
          .get("/presence_stats?topic=it.api.churn").body());
      assertThat(stats.getInteger("clients")).isEqualTo(stay.size());
      assertThat(stats.getInteger("users")).isEqualTo(stay.size());

      // A member that does not answer (frozen, still a member: detection takes 8 s) is counted as not answering,
      // after the 5 s bound, and the others' connections are closed all the same.
      Probe stuck1 = as(probes, tokens, cluster.node(1), "stuck");
      Probe stuck2 = as(probes, tokens, cluster.node(2), "stuck");
      cluster.node(2).freeze();
      try {
        HttpResponse<String> partial = ServerApiCalls.to(cluster.node(0).port()).post("/disconnect",
            "{\"user\":\"stuck\"}");
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(partial.body());
        assertThat(answer.getInteger("closed")).as(answer.encode()).isEqualTo(1);
        assertThat(answer.getInteger("nodes")).as(answer.encode()).isEqualTo(3);
        assertThat(answer.getInteger("answered")).as(answer.encode()).isEqualTo(2);
        assertThat(stuck1.awaitClose()).isEqualTo((short) 4501);
      } finally {
        cluster.node(2).thaw();
      }
    }
  }

  private static Probe as(Probes probes, Tokens tokens, NodeProcess node, String user) {
    String token = tokens.token(user, List.of("it.api.>"), List.of("it.api.>"), 600);
    Probe p = probes.add(Probe.open(probes.vertx, node.port(), o -> o.setURI("/ws?access_token=" + token))
        .answerPings(true));
    p.next("welcome");
    p.next("authenticated");
    return p;
  }

  private static int count(Probe p, String topic) {
    return request(p, "presence_stats", topic).getInteger("clients");
  }

  private static JsonObject request(Probe p, String type, String topic) {
    String id = "r" + IDS.incrementAndGet();
    p.send("{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\"}");
    JsonObject answer = p.nextMatching(f -> id.equals(f.getString("id")));
    assertThat(answer.getString("type")).as(answer.encode()).isNotEqualTo("error");
    return answer;
  }
}
