package dev.switchboard.broker.browser;

import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a node serves to browsers, over plain HTTP: the demo page at {@code /}, its assets and the JavaScript client,
 * with content types a browser accepts for a page and a module, UTF-8, and {@code no-cache}; nothing else from the
 * web root.
 */
class WebRoutesTest {
  static TestCluster cluster;
  static int port;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1);
    port = cluster.node(0).port();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theDemoPageIsServedAtTheRoot() {
    HttpResponse<String> page = Http.get(port, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html;charset=UTF-8");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(page.body()).contains("<title>Switchboard demo</title>", "src=\"demo.js\"", "href=\"demo.css\"");
    assertThat(Http.get(port, "/index.html").body()).isEqualTo(page.body());

    HttpResponse<String> css = Http.get(port, "/demo.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("content-type")).hasValue("text/css;charset=UTF-8");
    HttpResponse<String> js = Http.get(port, "/demo.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript;charset=UTF-8");
  }

  @Test
  void theClientModuleIsServedAsJavaScript() {
    HttpResponse<String> client = Http.get(port, "/client/switchboard.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("content-type")).hasValue("text/javascript;charset=UTF-8");
    assertThat(client.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(client.body()).contains("export function connect(");
  }

  @Test
  void nothingElseUnderTheWebRootIsServedByTheseRoutes() {
    assertThat(Http.get(port, "/client/missing.js").statusCode()).isEqualTo(404);
    assertThat(Http.get(port, "/client/").statusCode()).isEqualTo(404);
    assertThat(Http.get(port, "/webroot/index.html").statusCode()).isEqualTo(404);
    assertThat(Http.get(port, "/nothing-here.js").statusCode()).isEqualTo(404);
  }
}
