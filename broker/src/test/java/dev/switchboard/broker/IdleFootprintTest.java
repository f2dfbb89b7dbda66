package dev.switchboard.broker;

import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open session does not keep Vert.x's per-connection objects: once upgraded, a connection runs on the session's
 * own channel handler, and Vert.x's WebSocket and the HTTP connection it came from (each with a 1024-slot write
 * queue) are garbage. Counted in a class histogram of this JVM (which runs a full GC first) while sessions are open;
 * the memory itself is measured by the benchmark tool (docs/benchmarks.md, idle connections).
 */
class IdleFootprintTest {
  private static final int SESSIONS = 200;

  @Test
  void openSessionsDoNotKeepVertxsWebSocketObjects() throws Exception {
    List<RawWebSocket> sockets = new ArrayList<>();
    try (TestCluster cluster = TestCluster.of(1)) {
      for (int i = 0; i < SESSIONS; i++) {
        RawWebSocket ws = RawWebSocket.open(cluster.node(0).port());
        sockets.add(ws);
        ws.write(RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"idle." + (i % 10) + "\"}"));
      }
      for (RawWebSocket ws : sockets) {
        assertThat(ws.read().text()).contains("\"type\":\"welcome\"");
        assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"");
      }
      assertThat(cluster.node(0).stats().connections()).isEqualTo(SESSIONS);
      String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      assertThat(instances(histogram, "dev.switchboard.broker.session.Session")).isEqualTo(SESSIONS);
      assertThat(instances(histogram, "io.vertx.core.http.impl.websocket.ServerWebSocketImpl"))
          .isLessThan(SESSIONS / 10);
      assertThat(instances(histogram, "io.vertx.core.http.impl.http1.Http1ServerConnection"))
          .isLessThan(SESSIONS / 10);
    } finally {
      sockets.forEach(RawWebSocket::close);
    }
  }

  /** Live instances of {@code className} in a class histogram (0 when it is not listed). */
  private static long instances(String histogram, String className) {
    Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "(\\s|$)",
        Pattern.MULTILINE).matcher(histogram);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
