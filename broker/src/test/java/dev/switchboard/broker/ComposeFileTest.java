package dev.switchboard.broker;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the Dockerfile and docker/nginx.conf, checked without a Docker engine: the compose file is
 * valid for {@code docker-compose config} (skipped, with the reason, when no compose tool is installed; .ci/run
 * installs one), and the three files agree with each other and with the node's settings.
 */
class ComposeFileTest {
  static final Path ROOT = Path.of("..");
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  static List<String> compose;

  @BeforeAll
  static void findComposeTool() {
    for (List<String> tool : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      List<String> version = new ArrayList<>(tool);
      version.add("version");
      if (run(version).exitCode == 0) {
        compose = tool;
        return;
      }
    }
  }

  @Test
  void composeFileIsValidWithThreeNodesAndALoadBalancer() {
    Assumptions.assumeTrue(compose != null,
        "neither docker-compose nor the docker compose plugin is installed: docker-compose.yml is not validated");
    Result valid = run(command("config", "-q"));
    assertThat(valid.exitCode).as(valid.output).isZero();
    Result services = run(command("config", "--services"));
    assertThat(services.exitCode).as(services.output).isZero();
    assertThat(services.output.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toSet()))
        .isEqualTo(Set.of("node1", "node2", "node3", "lb"));
  }

  @Test
  void nodesJoinByServiceNameWithKnownSettingsAndHealthChecks() throws IOException {
    String text = Files.readString(COMPOSE);
    assertThat(text).contains("SWITCHBOARD_JOIN: node1:5701,node2:5701,node3:5701");
    for (String node : List.of("node1", "node2", "node3")) {
      assertThat(text).contains("SWITCHBOARD_CLUSTER_HOST: " + node);
    }
    Set<String> known = Settings.ALL.stream().map(Settings.Setting::env).collect(Collectors.toSet());
    Matcher variables = Pattern.compile("^\\s+(SWITCHBOARD_[A-Z_]+):", Pattern.MULTILINE).matcher(text);
    while (variables.find()) {
      assertThat(known).as("a setting's variable").contains(variables.group(1));
    }
    // A majority makes a node ready; no node waits on another's health to start (that would deadlock on it).
    assertThat(text).contains("/opt/switchboard/ready.sh").contains("SWITCHBOARD_MIN_MEMBERS: \"2\"")
        .doesNotContain("condition: service_healthy");
    // Base images come from the environment, for machines without a registry.
    assertThat(text).contains("BUILD_IMAGE: ${SWITCHBOARD_BUILD_IMAGE:-", "RUNTIME_IMAGE: ${SWITCHBOARD_RUNTIME_IMAGE:-",
        "image: ${SWITCHBOARD_LB_IMAGE:-");
    // Every published port is on the host's loopback only.
    Matcher published = Pattern.compile("^\\s+- \"([^\"]+):8080\"$", Pattern.MULTILINE).matcher(text);
    int ports = 0;
    while (published.find()) {
      assertThat(published.group(1)).startsWith("127.0.0.1:");
      ports++;
    }
    assertThat(ports).isEqualTo(4);
  }

  @Test
  void imageRunsTheLauncherJarWithItsHealthCheck() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("ARG RUNTIME_IMAGE=eclipse-temurin:17-jre", "FROM ${RUNTIME_IMAGE}")
        .contains("ARG BUILD_IMAGE=", "FROM ${BUILD_IMAGE} AS build", "prebuilt/switchboard-broker.jar")
        .contains("COPY --from=build /src/broker/target/switchboard-broker.jar")
        // The classic builder (no BuildKit) must build it: no --mount, no heredocs.
        .doesNotContain("--mount=", "<<")
        .contains("COPY scripts/ready.sh ./ready.sh")
        .contains("HEALTHCHECK").contains("exec java");
    assertThat(ROOT.resolve("scripts/ready.sh")).isExecutable();
  }

  @Test
  void loadBalancerPassesWebSocketUpgradesToEveryNode() throws IOException {
    String nginx = Files.readString(ROOT.resolve("docker/nginx.conf"));
    // No `resolve` on upstream servers: Debian's nginx 1.22 refuses it; docker/lb.sh reloads nginx instead.
    assertThat(nginx).contains("server node1:8080", "server node2:8080", "server node3:8080")
        .doesNotContain(" resolve;")
        .contains("location = /ws").contains("proxy_http_version 1.1")
        .contains("proxy_set_header Upgrade $http_upgrade")
        .contains("proxy_set_header Connection $connection_upgrade")
        .contains("proxy_next_upstream error timeout http_502 http_503")
        .contains("listen 8080;");
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("-f", COMPOSE.toAbsolutePath().normalize().toString()));
    command.addAll(List.of(args));
    return command;
  }

  private record Result(int exitCode, String output) {
  }

  /** Runs a command in the repository; a command that cannot be started exits -1. */
  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
