package dev.switchboard.broker.browser;

import dev.switchboard.broker.HistoryRule;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.switchboard.broker.testing.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo page ({@code /}) in a real headless Chromium: opened on node A with the node list A, C, it shows what the
 * Java SDK publishes on node B (chat, and the ticker: the latest price of a history topic at once, live ones through
 * the pattern), README's {@code curl} publish over HTTP to node C, and a chat line sent from its own form. Its list of
 * who is in the room shows its own name and that of a second browser on node B, and loses the second one once that
 * closes: at once, by the room's join and leave events (the pages poll every 10 minutes here, so the poll cannot
 * be what updates them). When node A stops it reconnects to C, says so (state, node, reconnect count) and keeps
 * receiving, showing no line twice.
 *
 * <p>It saves a screenshot of the page to {@code target/demo-page.png}; with {@code -Dswitchboard.docsScreenshot=true}
 * also to {@code docs/demo-page.png}, the one README shows (not on every run: a committed image rewritten by every
 * build would leave every working tree changed).
 */
class DemoPageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(250);

  @Test
  void thePageShowsWhatIsPublishedOnAnotherNodeAndMovesOnWhenItsNodeStops() {
    Browser.assumeAvailable();
    try (TestCluster cluster = TestCluster.of(3,
        o -> o.history(HistoryRule.parseList("chat.>/1000/5m,ticker.*/1/1h")).presence(List.of("chat.>"))
            .presenceGraceMs(300));
         Clients sdk = new Clients(); Browser browser = Browser.open()) {
      WebDriver driver = browser.driver();
      SwitchboardClient java = sdk.connect(cluster.url(1)).client;
      join(java.publish("ticker.ACME", tick("ACME", "101.25", 1)));

      driver.get("http://127.0.0.1:" + cluster.node(0).port() + "/?nodes=" + cluster.url(0) + "," + cluster.url(2)
          + "&symbols=ACME&poll=600");
      awaitOnNode(driver, cluster.node(0).nodeId(), "0");
      // ticker.ACME keeps its last price: the page asked for it (latest) and shows it before any new one.
      await().atMost(WAIT).until(() -> price(driver, "ACME").equals("101.25"));

      join(java.publish("chat.lobby", chat("alice", "Hi from the Java SDK on node B")));
      join(java.publish("chat.lobby", chat("bob", "Prices are moving, look right →")));
      driver.findElement(By.id("chat-name")).clear();
      driver.findElement(By.id("chat-name")).sendKeys("carol");
      driver.findElement(By.id("chat-text")).sendKeys("Hello from the browser on node A");
      driver.findElement(By.cssSelector("#chat-form button")).click();
      await().atMost(WAIT).until(() -> chatLines(driver).size() == 3);
      // README's curl publish, over HTTP to node C.
      HttpResponse<String> curl = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + cluster.node(2).port() + "/api/topics/chat.lobby/messages"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"curl\",\"text\":\"hi\"}")));
      assertThat(curl.statusCode()).isEqualTo(200);
      await().atMost(WAIT).until(() -> chatLines(driver).size() == 4);
      assertThat(chatLines(driver)).containsExactly("alice Hi from the Java SDK on node B",
          "bob Prices are moving, look right →", "carol Hello from the browser on node A", "curl hi");

      // Who is in the room: this page (renamed carol when it sent) and a second browser on node B.
      try (Browser second = Browser.open()) {
        second.driver().get("http://127.0.0.1:" + cluster.node(1).port() + "/?name=dave&poll=600");
        await().atMost(WAIT).until(() -> people(driver).equals(List.of("carol", "dave")));
        await().atMost(WAIT).until(() -> people(second.driver()).equals(List.of("carol", "dave")));
        assertThat(driver.findElement(By.cssSelector("#people li.me")).getText()).isEqualTo("carol");
      }
      await().atMost(WAIT).until(() -> people(driver).equals(List.of("carol")));

      // GLOBEX comes through the pattern ticker.*, which node B learns of asynchronously: publish until it shows.
      int[] seq = {1};
      await().atMost(WAIT).pollInterval(POLL).until(() -> {
        java.publish("ticker.GLOBEX", tick("GLOBEX", "57.5" + seq[0], seq[0]++));
        return !price(driver, "GLOBEX").isEmpty();
      });
      join(java.publish("ticker.ACME", tick("ACME", "101.80", 2)));
      await().atMost(WAIT).until(() -> price(driver, "ACME").equals("101.80"));

      cluster.stop(0);
      awaitOnNode(driver, cluster.node(2).nodeId(), "1");
      join(java.publish("chat.lobby", chat("alice", "Node A stopped; still here")));
      join(java.publish("ticker.ACME", tick("ACME", "102.05", 3)));
      await().atMost(WAIT).until(() -> chatLines(driver).size() == 5 && price(driver, "ACME").equals("102.05"));
      assertThat(chatLines(driver)).last().isEqualTo("alice Node A stopped; still here");
      assertThat(driver.findElement(By.cssSelector("#ticker-rows tr[data-symbol='ACME'] .ticks")).getText())
          .isEqualTo("3");

      browser.screenshot(Path.of("target", "demo-page.png"));
      if (Boolean.getBoolean("switchboard.docsScreenshot")) {
        browser.screenshot(Path.of("..", "docs", "demo-page.png"));
      }
    }
  }

  /** Waits until the page says it is connected to {@code nodeId}, after {@code reconnects} reconnects. */
  private static void awaitOnNode(WebDriver driver, String nodeId, String reconnects) {
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      WebElement state = driver.findElement(By.id("state"));
      return "connected".equals(state.getDomAttribute("data-state"))
          && nodeId.equals(driver.findElement(By.id("node")).getText())
          && reconnects.equals(driver.findElement(By.id("reconnects")).getText());
    });
  }

  /** The chat lines as "from text", without their times; notes are left out. */
  private static List<String> chatLines(WebDriver driver) {
    return driver.findElements(By.cssSelector("#chat-messages li:not(.note)")).stream()
        .map(li -> li.getText().replaceFirst("^\\S+ ", ""))
        .collect(Collectors.toList());
  }

  /**
   * The names in the page's list of who is in the room, read in one script: the page redraws the list on every event
   * and poll, so elements found first may be gone when their text is asked for.
   */
  @SuppressWarnings("unchecked")
  private static List<String> people(WebDriver driver) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript(
        "return [...document.querySelectorAll('#people li')].map(li => li.innerText.trim());");
  }

  private static String price(WebDriver driver, String symbol) {
    List<WebElement> cells = driver.findElements(By.cssSelector("#ticker-rows tr[data-symbol='" + symbol + "'] .price"));
    return cells.isEmpty() ? "" : cells.get(0).getText();
  }

  private static Map<String, Object> chat(String from, String text) {
    return Map.of("from", from, "text", text);
  }

  private static Map<String, Object> tick(String symbol, String price, int seq) {
    return Map.of("symbol", symbol, "price", new BigDecimal(price), "seq", seq);
  }
}
