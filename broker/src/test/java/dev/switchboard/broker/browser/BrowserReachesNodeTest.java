package dev.switchboard.broker.browser;

import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser harness itself: a real Chromium loads a page from a node and opens a WebSocket to it from script.
 * If this fails, the other browser tests cannot say anything.
 */
class BrowserReachesNodeTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    cluster = TestCluster.of(1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void chromiumLoadsAPageFromTheNodeAndGetsAWelcomeOverWebSocket() {
    int port = cluster.node(0).port();
    try (Browser browser = Browser.open()) {
      browser.driver().get("http://127.0.0.1:" + port + "/health/live");
      assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("UP");

      Object welcome = browser.driver().executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "const ws = new WebSocket('ws://127.0.0.1:" + port + "/ws');"
              + "ws.onmessage = e => { ws.close(); done(JSON.parse(e.data).type); };"
              + "ws.onerror = () => done('error');");
      assertThat(welcome).isEqualTo("welcome");
    }
  }
}
