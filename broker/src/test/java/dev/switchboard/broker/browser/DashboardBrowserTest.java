package dev.switchboard.broker.browser;

import dev.switchboard.broker.SwitchboardNode;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Probe;
import dev.switchboard.broker.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real Chromium: opened on node A, it shows both nodes, node B's connections rising as clients
 * connect there, and non-zero rates while messages flow. Leaves a screenshot in {@code target/dashboard.png}; with
 * {@code -Dswitchboard.docsScreenshot=true} it also lets the chart fill and writes {@code docs/dashboard.png}, the one
 * README shows (not on every run: a committed image rewritten by every test run would dirty every checkout).
 */
class DashboardBrowserTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  /** Publishing runs at most this many ticks of 50 ms (two minutes), whatever happens to the test. */
  static final int MAX_TICKS = 2400;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    cluster = TestCluster.of(2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void showsBothNodesTheirConnectionsAndTheRatesWhileMessagesFlow() {
    SwitchboardNode a = cluster.node(0);
    SwitchboardNode b = cluster.node(1);
    List<Probe> probes = new ArrayList<>();
    long timer = -1;
    try (Browser browser = Browser.open()) {
      WebDriver page = browser.driver();
      page.get("http://127.0.0.1:" + a.port() + "/dashboard");
      assertThat(page.getTitle()).isEqualTo("Switchboard cluster");
      await().atMost(WAIT).ignoreExceptions().until(() -> cell(page, a.nodeId(), "state").equals("ready")
          && cell(page, b.nodeId(), "state").equals("ready"));
      assertThat(cell(page, b.nodeId(), "address")).isEqualTo("127.0.0.1:" + b.port());
      assertThat(cell(page, b.nodeId(), "connections")).isEqualTo("0");

      for (int i = 1; i <= 4; i++) {
        probes.add(Probe.connect(cluster.clients(), b.port()));
        String expected = String.valueOf(i);
        await().atMost(WAIT).ignoreExceptions().until(() -> cell(page, b.nodeId(), "connections").equals(expected));
      }
      assertThat(page.findElement(By.id("total-connections")).getText()).isEqualTo("4");

      Probe subscriber = probes.get(0);
      for (String topic : List.of("chat.lobby", "prices.>", "alerts.ops")) {
        subscriber.send("{\"type\":\"subscribe\",\"id\":\"" + topic + "\",\"topic\":\"" + topic + "\"}")
            .next("subscribed");
      }
      // Every client on B and one on A hold chat.lobby: B's event loops each receive a message once and deliver it to
      // several clients, so in, received and out differ, and so do the chart's lines.
      for (Probe other : probes.subList(1, probes.size())) {
        other.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"chat.lobby\"}").next("subscribed");
      }
      Probe local = Probe.connect(cluster.clients(), a.port());
      probes.add(local);
      local.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"chat.lobby\"}").next("subscribed");
      Probe publisher = Probe.connect(cluster.clients(), a.port());
      probes.add(publisher);
      AtomicInteger ticks = new AtomicInteger();
      timer = cluster.clients().setPeriodic(50, id -> {
        if (ticks.incrementAndGet() > MAX_TICKS) {
          cluster.clients().cancelTimer(id);
          return;
        }
        for (int i = 0; i < 10; i++) {
          publisher.ws.writeTextMessage("{\"type\":\"publish\",\"topic\":\"chat.lobby\",\"data\":" + i + "}");
        }
        publisher.ws.writeTextMessage("{\"type\":\"publish\",\"topic\":\"prices.eur\",\"data\":1.08}");
      });

      await().atMost(WAIT).ignoreExceptions().until(() -> number(cell(page, a.nodeId(), "published_rate")) > 0
          && number(cell(page, b.nodeId(), "delivered_rate")) > 0
          && number(page.findElement(By.id("total-delivered")).getText()) > 0);
      await().atMost(WAIT).ignoreExceptions().until(() -> page.findElement(By.id("topics")).getText()
          .contains("chat.lobby 5 subscribers, 2 nodes"));
      assertThat(page.findElement(By.id("topics")).getText()).contains("prices.> 1 subscriber, 1 node",
          "alerts.ops 1 subscriber, 1 node");
      assertThat(page.findElement(By.id("total-topics")).getText()).isEqualTo("3");

      browser.screenshot(Path.of("target", "dashboard.png"));
      if (Boolean.getBoolean("switchboard.docsScreenshot")) {
        // For README's picture: let the chart draw some seconds of traffic, then wait for the page's next refresh.
        await().atMost(Duration.ofSeconds(60)).until(() -> pointsWithTraffic(a) >= 15);
        long shown = view(a).getLong("time");
        await().atMost(WAIT).ignoreExceptions().until(() ->
            Long.parseLong(page.findElement(By.id("status")).getDomAttribute("data-time")) >= shown);
        browser.screenshot(docs().resolve("dashboard.png"));
      }
    } finally {
      if (timer >= 0) {
        cluster.clients().cancelTimer(timer);
      }
      probes.forEach(Probe::close);
    }
  }

  /** The text of one cell of the node table, found again at each call (the page rebuilds the table every second). */
  static String cell(WebDriver page, String nodeId, String field) {
    return page.findElement(By.cssSelector("tr[data-node='" + nodeId + "'] td[data-field='" + field + "']")).getText();
  }

  static double number(String text) {
    return Double.parseDouble(text.replace(",", ""));
  }

  static JsonObject view(SwitchboardNode node) {
    return new JsonObject(Http.get(node.port(), "/api/cluster").body());
  }

  static long pointsWithTraffic(SwitchboardNode node) {
    JsonArray delivered = view(node).getJsonObject("series").getJsonArray("delivered");
    return delivered.stream().filter(v -> ((Number) v).doubleValue() > 0).count();
  }

  /** The repository's {@code docs} directory, found upwards from where the test runs (the module directory). */
  static Path docs() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/operations.md"))) {
        return dir.resolve("docs");
      }
    }
    throw new IllegalStateException("no docs/operations.md above " + Path.of("").toAbsolutePath());
  }
}
