package dev.switchboard.broker.process;

import dev.switchboard.broker.Settings;
import dev.switchboard.broker.testing.Http;
import dev.switchboard.broker.testing.Ports;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import io.vertx.core.json.JsonObject;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The launcher jar as users run it: flags, environment, exit codes, and nodes that serve the SDK. */
@ExtendWith(ProcessReaper.class)
class LauncherIT {
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void helpListsEveryFlagAndItsEnvironmentVariable() {
    NodeProcess help = NodeProcess.launch("help", List.of("--help"), Map.of());

    assertThat(help.awaitExit(EXIT)).isZero();
    String text = String.join("\n", help.stdout());
    for (Settings.Setting setting : Settings.ALL) {
      assertThat(text).contains(setting.flag() + " ").contains(setting.env());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      --port         | abc       | port:
      --port         | 70000     | port:
      --cluster-port | 0         | cluster-port:
      --join         | nohost    | join:
      --frobnicate   | 1         | --frobnicate
      --drain-window-ms | -5     | drain-window-ms:
      --log-format   | xml       | log-format:
      """)
  void badFlagExitsWithTwoNamingTheSetting(String flag, String value, String named) {
    NodeProcess node = NodeProcess.launch("bad" + flag, List.of(flag, value), Map.of());

    assertThat(node.awaitExit(EXIT)).isEqualTo(2);
    assertThat(String.join("\n", node.stderr())).contains(named);
    assertThat(node.output()).noneMatch(line -> line.contains("serving"));
  }

  @Test
  void badEnvironmentVariableExitsWithTwoNamingTheSetting() {
    NodeProcess node = NodeProcess.launch("bad-env", List.of(), Map.of("SWITCHBOARD_MAX_FRAME_BYTES", "lots"));

    assertThat(node.awaitExit(EXIT)).isEqualTo(2);
    assertThat(String.join("\n", node.stderr())).contains("max-frame-bytes:");
  }

  @Test
  void portInUseExitsWithTwoNamingPort() throws IOException {
    try (ServerSocket taken = bound()) {
      NodeProcess node = NodeProcess.launch("port-in-use", List.of("--host", "127.0.0.1",
          "--port", String.valueOf(taken.getLocalPort()), "--cluster-port", String.valueOf(Ports.free())), Map.of());

      assertThat(node.awaitExit(EXIT)).isEqualTo(2);
      assertThat(String.join("\n", node.stderr())).contains("port:").contains("--port");
    }
  }

  @Test
  void clusterPortInUseExitsWithTwoNamingClusterPort() throws IOException {
    try (ServerSocket taken = bound()) {
      NodeProcess node = NodeProcess.launch("cluster-port-in-use", List.of("--host", "127.0.0.1", "--port", "0",
          "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(taken.getLocalPort())), Map.of());

      assertThat(node.awaitExit(EXIT)).isEqualTo(2);
      assertThat(String.join("\n", node.stderr())).contains("cluster-port:").contains("--cluster-port");
    }
  }

  @Test
  void environmentVariablesConfigureTheNodeAndFlagsOverrideThem() throws Exception {
    String clusterName = "env-" + UUID.randomUUID();
    int clusterPort = Ports.free();
    int flagPort = Ports.free();
    NodeProcess node = NodeProcess.launch("env", List.of("--port", String.valueOf(flagPort)), Map.of(
        "SWITCHBOARD_HOST", "127.0.0.1",
        "SWITCHBOARD_PORT", String.valueOf(Ports.free()),
        "SWITCHBOARD_CLUSTER_HOST", "127.0.0.1",
        "SWITCHBOARD_CLUSTER_PORT", String.valueOf(clusterPort),
        "SWITCHBOARD_CLUSTER_NAME", clusterName,
        "SWITCHBOARD_MAX_SUBSCRIPTIONS", "1")).awaitServing();

    assertThat(node.port()).isEqualTo(flagPort);
    assertThat(node.output()).anyMatch(line -> line.contains("serving ws://127.0.0.1:" + flagPort + "/ws")
        && line.contains("(cluster '" + clusterName + "' on 127.0.0.1:" + clusterPort + ";")
        && (line.endsWith(" epoll transport)") || line.endsWith(" nio transport)")));
    try (SwitchboardClient client = connect(node.url())) {
      result(client.subscribe("env.one", m -> { }));
      Throwable refused = failure(client.subscribe("env.two", m -> { }));
      assertThat(refused).isInstanceOfSatisfying(SwitchboardException.class,
          e -> assertThat(e.code()).isEqualTo("too_many_subscriptions"));
    }
  }

  @Test
  void nodeServesTheSdk() throws Exception {
    NodeProcess node = NodeProcess.start("solo", "solo-" + UUID.randomUUID(), Ports.free(), List.of());
    List<Object> received = new CopyOnWriteArrayList<>();

    try (SwitchboardClient client = connect(node.url())) {
      result(client.subscribe("it.greeting", m -> received.add(m.data())));
      result(client.publish("it.greeting", Map.of("text", "hello")));

      await().atMost(WAIT).until(() -> !received.isEmpty());
      assertThat(received).containsExactly(Map.of("text", "hello"));
      assertThat(client.nodeId()).isEqualTo(node.nodeId());
    }
  }

  @Test
  void twoNodesFormOneCluster() throws Exception {
    int count = 200;
    try (ProcessCluster cluster = ProcessCluster.start(2);
         SwitchboardClient subscriber = connect(cluster.url(0));
         SwitchboardClient publisher = connect(cluster.url(1))) {
      List<Map<?, ?>> received = new CopyOnWriteArrayList<>();
      result(subscriber.subscribe("it.cluster", m -> received.add((Map<?, ?>) m.data())));
      result(publisher.publish("it.cluster", Map.of("probe", 0)));
      assertThat(subscriber.nodeId()).isEqualTo(cluster.node(0).nodeId());
      assertThat(publisher.nodeId()).isEqualTo(cluster.node(1).nodeId());

      // The subscription takes a moment to become known on the other node: probe until one gets through.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            publisher.publish("it.cluster", Map.of("probe", 1));
            return received.stream().anyMatch(m -> m.containsKey("probe"));
          });
      for (int i = 1; i <= count; i++) {
        publisher.publish("it.cluster", Map.of("seq", i));
      }
      result(publisher.publish("it.cluster", Map.of("end", true)));

      await().atMost(WAIT).until(() -> received.stream().anyMatch(m -> m.containsKey("end")));
      List<Object> seqs = new ArrayList<>();
      received.stream().filter(m -> m.containsKey("seq")).forEach(m -> seqs.add(m.get("seq")));
      assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, count).boxed().toList());
    }
  }

  @Test
  void sigtermDrainsTheNodeClosingClientsWithNodeDrainingThenExitsZero() throws Exception {
    NodeProcess node = NodeProcess.start("sigterm", "sigterm-" + UUID.randomUUID(), Ports.free(), List.of());
    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    try (SwitchboardClient client = connect(node.url())) {
      client.addConnectionListener(events::add);
      result(client.subscribe("it.bye", m -> { }));
      // The SDK completes the subscribe a moment before its state says CONNECTED.
      await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);

      assertThat(node.stop()).isZero();

      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type() == ConnectionState.DISCONNECTED));
      ConnectionEvent lost = events.stream().filter(e -> e.type() == ConnectionState.DISCONNECTED).findFirst()
          .orElseThrow();
      assertThat(lost.closeCode()).isEqualTo(4002);
      assertThat(lost.reason()).contains("node_draining");
      assertThat(lost.nodeId()).isEqualTo(node.nodeId());
      assertThat(node.stderr()).noneMatch(line -> line.contains("unclean stop"))
          .anyMatch(line -> line.contains("draining: closing 1 connections"));
      // Every log line names the node (the stop's lines too); none is from Hazelcast below WARNING.
      assertThat(node.stderr()).filteredOn(line -> line.matches("^\\d{4}-\\d\\d-\\d\\d .*"))
          .isNotEmpty().allMatch(line -> line.contains(" node=" + node.nodeId() + " ") || line.contains(" node=- "))
          .noneMatch(line -> line.contains(" INFO ") && line.contains("[com.hazelcast"));
    }
  }

  @Test
  void configFileSetsTheNodeAndJsonLogsNameIt(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("node.json"), new JsonObject()
        .put("host", "127.0.0.1").put("port", 0).put("cluster-host", "127.0.0.1").put("cluster-port", Ports.free())
        .put("cluster-name", "config-" + UUID.randomUUID()).put("log-format", "json").encode());
    NodeProcess node = NodeProcess.launch("config-file", List.of(), Map.of("SWITCHBOARD_CONFIG", config.toString()))
        .awaitServing();

    assertThat(Http.get(node.port(), "/health/ready").statusCode()).isEqualTo(200);
    JsonObject serving = node.stderr().stream().filter(line -> line.contains("serving")).map(JsonObject::new)
        .findFirst().orElseThrow();
    assertThat(serving.getString("node")).isEqualTo(node.nodeId());
    assertThat(serving.getString("level")).isEqualTo("INFO");
    assertThat(serving.getString("logger")).isEqualTo("dev.switchboard.broker.Main");
    assertThat(node.stop()).isZero();
    assertThat(node.stderr()).filteredOn(line -> line.startsWith("{")).hasSizeGreaterThan(2)
        .allSatisfy(line -> assertThat(new JsonObject(line).getString("node")).isIn(node.nodeId(), "-"));
  }

  @Test
  void unreadableConfigFileExitsWithTwoNamingConfig(@TempDir Path dir) {
    NodeProcess node = NodeProcess.launch("bad-config", List.of("--config", dir.resolve("nope.json").toString()),
        Map.of());

    assertThat(node.awaitExit(EXIT)).isEqualTo(2);
    assertThat(String.join("\n", node.stderr())).contains("config:").contains("nope.json");
  }

  private static SwitchboardClient connect(String url) {
    return Switchboard.connect(ClientOptions.builder().servers(url)
        .reconnectDelayMax(Duration.ofMillis(500)).build());
  }

  private static <T> T result(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    try {
      result(stage);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the stage to fail");
  }

  private static ServerSocket bound() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    return socket;
  }
}
