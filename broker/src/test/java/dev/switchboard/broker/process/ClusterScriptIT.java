package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Ports;
import dev.switchboard.client.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code scripts/cluster.sh}, the docker-compose topology as local processes: {@code up} starts three nodes that form
 * one cluster, {@code status} reads their health, a message crosses nodes, {@code down} stops them all.
 */
class ClusterScriptIT {
  private static final Duration UP = Duration.ofMinutes(3);
  private static final Duration DOWN = Duration.ofMinutes(1);

  @TempDir
  Path dir;
  private final List<Integer> httpPorts = List.of(Ports.free(), Ports.free(), Ports.free());
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void settings() {
    env.putAll(Map.of(
        "CLUSTER_DIR", dir.toString(),
        "CLUSTER_HTTP_PORTS", join(httpPorts),
        "CLUSTER_PORTS", join(List.of(Ports.free(), Ports.free(), Ports.free())),
        "CLUSTER_JAR", NodeProcess.jar().toAbsolutePath().toString(),
        "JAVA", JavaProcess.javaBinary(),
        "JAVA_OPTS", String.join(" ", NodeProcess.JVM_ARGS),
        "SWITCHBOARD_CLUSTER_NAME", "script-" + UUID.randomUUID(),
        "SWITCHBOARD_DRAIN_WINDOW_MS", "500"));
  }

  @AfterEach
  void downAndKillLeftovers() throws IOException {
    Script.run(command("down"), env, DOWN);
    try (Stream<Path> pidFiles = Files.list(dir)) { // only if down failed: never leave a node behind
      for (Path pidFile : pidFiles.filter(f -> f.toString().endsWith(".pid")).toList()) {
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void upStatusPublishAcrossNodesThenDown() throws IOException {
    Script.Result up = Script.run(command("up"), env, UP);
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("node1 up", "node2 up", "node3 up");

    Script.Result status = Script.run(command("status"), env, DOWN);
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.lines()).hasSize(3).allMatch(line -> line.matches("node\\d up .*"));
    assertThat(Http.get(httpPorts.get(1), "/health/ready").body()).contains("\"members\":3");

    try (Clients clients = new Clients()) {
      List<Message> received = new CopyOnWriteArrayList<>();
      Clients.Recorded subscriber = clients.connect(url(0));
      Clients.Recorded publisher = clients.connect(url(2));
      Clients.join(subscriber.client.subscribe("script.news", received::add));
      // The subscription becomes known on the publisher's node asynchronously: publish until one arrives.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
        publisher.client.publish("script.news", Map.of("hello", "from node3"));
        return !received.isEmpty();
      });
      assertThat(received.get(0).json()).isEqualTo("{\"hello\":\"from node3\"}");
      assertThat(subscriber.client.nodeId()).isNotEqualTo(publisher.client.nodeId());
    }

    Script.Result down = Script.run(command("down"), env, DOWN);
    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(down.output()).contains("node1 stopped", "node2 stopped", "node3 stopped");
    Script.Result after = Script.run(command("status"), env, DOWN);
    assertThat(after.exitCode()).isEqualTo(3);
    assertThat(after.lines()).containsExactly("node1 down", "node2 down", "node3 down");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).collect(Collectors.toList()))
          .containsExactlyInAnyOrder("node1.log", "node2.log", "node3.log");
    }
    assertThat(Files.readString(dir.resolve("node2.log"))).contains("draining", "stopped");
  }

  @Test
  void unknownCommandExitsTwoWithUsage() {
    Script.Result result = Script.run(command("sideways"), env, DOWN);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("usage:");
  }

  private String url(int node) {
    return "ws://127.0.0.1:" + httpPorts.get(node) + "/ws";
  }

  private static List<String> command(String verb) {
    return new ArrayList<>(List.of("bash", "scripts/cluster.sh", verb));
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
