package dev.switchboard.broker.browser;

import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Chromium's EventSource on a history topic: it reads from node A while messages are published over HTTP at a
 * steady rate; node A stops; the page's script opens a new EventSource on node B with the last event id it saw
 * ({@code lastEventId}), and in the end it has every message exactly once, in order, with no gap, each with the
 * {@code published_at} its publish got.
 */
class SseBrowserTest {
  static final String TOPIC = "hist.browser";
  static final int MESSAGES = 200;
  static final int STOP_AFTER = 50;

  /**
   * The page's client: records every event; when the stream on A ends (the node's {@code close} event) or fails, it
   * closes that EventSource and opens one on B that resumes from the last id. {@code arguments}: A's and B's URLs.
   */
  static final String PAGE_SCRIPT = """
      const first = arguments[0], second = arguments[1];
      const sb = window.sb = {events: [], subscribed: [], gaps: [], closes: [], errors: 0, lastId: null, opened: []};
      function open(url, fallback) {
        sb.opened.push(url);
        const es = new EventSource(url);
        let moved = false;
        const move = () => {
          if (fallback || moved) return;
          moved = true;
          es.close();
          open(second + (sb.lastId ? '&lastEventId=' + encodeURIComponent(sb.lastId) : ''), true);
        };
        es.onmessage = e => {
          const m = JSON.parse(e.data);
          sb.events.push([m.position.offset, m.data, m.published_at]);
          sb.lastId = e.lastEventId;
        };
        es.addEventListener('subscribed', e => {
          sb.subscribed.push(JSON.parse(e.data));
          if (e.lastEventId) sb.lastId = e.lastEventId;
        });
        es.addEventListener('gap', e => sb.gaps.push(JSON.parse(e.data)));
        es.addEventListener('close', e => { sb.closes.push(JSON.parse(e.data)); move(); });
        es.onerror = () => { sb.errors++; move(); };
      }
      open(first, false);
      """;

  static TestCluster cluster;

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    cluster = TestCluster.of(2, o -> o.history(HistoryRule.parseList("hist.>/1000/5m")));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anEventSourceMovesToAnotherNodeWhenItsNodeStopsAndMissesNothing() {
    int a = cluster.node(0).port();
    int b = cluster.node(1).port();
    Map<Integer, Long> acked = new ConcurrentHashMap<>(); // message number -> offset
    Map<Integer, long[]> sent = new ConcurrentHashMap<>(); // message number -> wall clock at its first try, at its ack
    AtomicInteger failures = new AtomicInteger();
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    try (Browser browser = Browser.open()) {
      browser.driver().get("http://127.0.0.1:" + b + "/health/live");
      browser.driver().executeScript(PAGE_SCRIPT, "http://127.0.0.1:" + a + "/sse?topic=" + TOPIC,
          "http://127.0.0.1:" + b + "/sse?topic=" + TOPIC);
      await().atMost(Duration.ofSeconds(20)).until(() -> page(browser).getJsonArray("subscribed").size() == 1);

      // Steady publishing on B, one message every 20 ms; a publish that fails is tried again at the next tick.
      AtomicInteger next = new AtomicInteger();
      publisher.scheduleAtFixedRate(() -> {
        int n = next.get();
        if (n >= MESSAGES || failures.get() > 50) {
          return;
        }
        try {
          long[] window = sent.computeIfAbsent(n, k -> new long[] {System.currentTimeMillis(), 0});
          HttpResponse<String> answer = Http.post(b, "/api/topics/" + TOPIC + "/messages", String.valueOf(n));
          if (answer.statusCode() == 200) {
            window[1] = System.currentTimeMillis();
            acked.put(n, new JsonObject(answer.body()).getJsonObject("position").getLong("offset"));
            next.incrementAndGet();
          } else {
            failures.incrementAndGet();
          }
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }, 0, 20, TimeUnit.MILLISECONDS);

      await().atMost(Duration.ofSeconds(30)).until(() -> page(browser).getJsonArray("events").size() >= STOP_AFTER);
      cluster.stop(0);

      await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() == MESSAGES || failures.get() > 50);
      assertThat(acked).hasSize(MESSAGES);
      long last = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      await().atMost(Duration.ofSeconds(30)).until(() -> lastOffset(page(browser)) >= last);

      JsonObject page = page(browser);
      List<Long> offsets = new ArrayList<>();
      for (Object event : page.getJsonArray("events")) {
        offsets.add(((JsonArray) event).getLong(0));
      }
      // Every stored message exactly once and in order, across the move: offsets 0, 1, 2, ... with no gap.
      assertThat(offsets).hasSize((int) last + 1);
      for (int i = 0; i < offsets.size(); i++) {
        assertThat(offsets.get(i)).as("event %d", i).isEqualTo(i);
      }
      for (Map.Entry<Integer, Long> message : acked.entrySet()) {
        JsonArray event = page.getJsonArray("events").getJsonArray(message.getValue().intValue());
        assertThat(event.getInteger(1)).isEqualTo(message.getKey());
        // The stamp node B took at the publish, also on what the stream on B recovered from the store after the move.
        long[] window = sent.get(message.getKey());
        assertThat(event.getLong(2)).as("published_at of %d", message.getKey()).isBetween(window[0], window[1]);
      }
      assertThat(page.getJsonArray("opened")).hasSize(2);
      assertThat(page.getJsonArray("opened").getString(1)).contains("lastEventId=");
      JsonObject resumed = page.getJsonArray("subscribed").getJsonObject(1);
      assertThat(resumed.getBoolean("recovered")).isTrue();
      assertThat(page.getJsonArray("gaps")).isEmpty();
    } finally {
      publisher.shutdownNow();
    }
  }

  private static JsonObject page(Browser browser) {
    Object state = browser.driver().executeScript("return JSON.stringify(window.sb);");
    return new JsonObject((String) state);
  }

  private static long lastOffset(JsonObject page) {
    JsonArray events = page.getJsonArray("events");
    return events.isEmpty() ? -1 : events.getJsonArray(events.size() - 1).getLong(0);
  }
}
