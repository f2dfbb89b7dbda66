package dev.switchboard.broker;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence events on two real nodes that require tokens: join and leave to the subscribers that asked, from either
 * node, once per user and not on a reconnect within the grace; occupied, vacated, online and offline on the system
 * topic and, signed, to a webhook served here.
 */
class PresenceEventsTest extends ProbeTest {
  private static final String SECRET = "presence-events-secret-0123456789-abcdef";
  private static final String HOOK_SECRET = "webhook-secret-0123456789";
  private static final long GRACE_MS = 600;
  private static final AtomicInteger IDS = new AtomicInteger();
  private final Vertx side = Vertx.vertx();
  private final Tokens tokens = Tokens.hs256(side, SECRET);
  private final List<JsonObject> hooked = new CopyOnWriteArrayList<>();
  private final List<String> badSignatures = new CopyOnWriteArrayList<>();
  private HttpServer hook;

  @Override
  TestCluster startCluster() {
    hook = Probe.await(side.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String expected = "sha256=" + hmac(body.toString());
      if (!expected.equals(req.getHeader("X-Switchboard-Signature"))) {
        badSignatures.add(body.toString());
      }
      hooked.add(body.toJsonObject());
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
    Path secret = file(SECRET);
    Path hookSecret = file(HOOK_SECRET);
    return TestCluster.of(2, o -> {
      o.presence(List.of("room.>")).presenceGraceMs(GRACE_MS)
          .webhookUrl("http://127.0.0.1:" + hook.actualPort() + "/events").webhookSecretFile(hookSecret.toString());
      o.security().auth(SecurityOptions.AUTH_REQUIRED).authSecretFile(secret.toString());
    });
  }

  @AfterAll
  void closeSide() {
    side.close();
  }

  /** A connection of {@code user} to node {@code node}, authenticated, allowed everything. */
  Probe as(String user, int node) {
    Probe p = open(node);
    p.send(new JsonObject().put("type", "hello").put("id", "h").put("token",
        tokens.token(user, List.of(">"), List.of(">"), 600)).encode());
    p.nextMatching(f -> "authenticated".equals(f.getString("type")));
    return p;
  }

  static JsonObject subscribe(Probe p, String topic, String extra) {
    String id = "s" + IDS.incrementAndGet();
    p.send("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"topic\":\"" + topic + "\"" + extra + "}");
    return p.nextMatching(f -> id.equals(f.getString("id")));
  }

  static Predicate<JsonObject> event(String type, String user) {
    return f -> type.equals(f.getString("type")) && user.equals(f.getString("user"));
  }

  static Predicate<JsonObject> system(String event, String field, String value) {
    return f -> "message".equals(f.getString("type")) && "switchboard.events".equals(f.getString("topic"))
        && event.equals(f.getJsonObject("data").getString("event"))
        && value.equals(f.getJsonObject("data").getString(field));
  }

  @Test
  void joinAndLeaveReachTheSubscribersThatAskedOnEveryNode() {
    Probe watcher = as("w1", 0);
    assertThat(subscribe(watcher, "room.ev", ",\"presence_events\":true").getString("type")).isEqualTo("subscribed");
    Probe quiet = as("q1", 0);
    subscribe(quiet, "room.ev", "");
    Probe alice = as("alice", 1);
    subscribe(alice, "room.ev", ",\"info\":{\"name\":\"Alice\"}");
    JsonObject join = watcher.nextMatching(event("join", "alice"));
    assertThat(join.getString("topic")).isEqualTo("room.ev");
    assertThat(join.getString("node")).isEqualTo(cluster().node(1).nodeId());
    assertThat(join.getJsonObject("info").getString("name")).isEqualTo("Alice");
    alice.close();
    JsonObject leave = watcher.nextMatching(event("leave", "alice"));
    assertThat(leave.getString("topic")).isEqualTo("room.ev");
    assertThat(quiet.all("join")).isEmpty();
    assertThat(quiet.all("leave")).isEmpty();
  }

  @Test
  void aUserWithTwoConnectionsJoinsOnceAndAReconnectWithinTheGraceDoesNotFlap() {
    Probe watcher = as("w2", 1);
    subscribe(watcher, "room.two", ",\"presence_events\":true");
    Probe first = as("bob", 0);
    subscribe(first, "room.two", "");
    watcher.nextMatching(event("join", "bob"));
    Probe second = as("bob", 1);
    subscribe(second, "room.two", "");
    first.close();
    second.close();
    subscribe(as("bob", 0), "room.two", ""); // back within the grace
    // A marker after all that: carol's leave comes a grace after bob's goings, so bob's would have come first.
    Probe carol = as("carol", 0);
    subscribe(carol, "room.two", "");
    watcher.nextMatching(event("join", "carol"));
    carol.close();
    watcher.nextMatching(event("leave", "carol"));
    assertThat(watcher.all("join").stream().filter(event("join", "bob"))).hasSize(1);
    assertThat(watcher.all("leave").stream().filter(event("leave", "bob"))).isEmpty();
  }

  @Test
  void topicAndUserEventsGoToTheSystemTopicAndTheWebhook() {
    Probe system = as("ops", 0);
    subscribe(system, "switchboard.events", "");
    Probe eve = as("eve", 1);
    system.nextMatching(system("online", "user", "eve"));
    subscribe(eve, "plain.occupied", "");
    system.nextMatching(system("occupied", "topic", "plain.occupied"));
    eve.close();
    // The two goings come in either order.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        system.all("message").stream().anyMatch(system("vacated", "topic", "plain.occupied"))
            && system.all("message").stream().anyMatch(system("offline", "user", "eve")));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> List.of("online", "occupied", "vacated", "offline")
        .stream().allMatch(e -> hooked.stream().anyMatch(h -> e.equals(h.getString("event"))
            && ("eve".equals(h.getString("user")) || "plain.occupied".equals(h.getString("topic"))))));
    assertThat(badSignatures).isEmpty();
  }

  @Test
  void clientsCannotPublishOnTheSystemTopicAndBadFlagsAreRefused() {
    Probe p = as("mallory", 0);
    p.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"switchboard.events\",\"data\":{\"event\":\"online\"}}");
    assertThat(p.nextMatching(f -> "p".equals(f.getString("id"))).getString("code")).isEqualTo("forbidden");
    assertThat(subscribe(p, "room.x", ",\"presence_events\":1").getString("code")).isEqualTo("invalid_field");
  }

  private Probe open(int node) {
    return trackedOpen(node);
  }

  private static String hmac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path file(String content) {
    try {
      Path f = Files.createTempFile("switchboard-test", ".txt");
      f.toFile().deleteOnExit();
      Files.writeString(f, content + "\n");
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
