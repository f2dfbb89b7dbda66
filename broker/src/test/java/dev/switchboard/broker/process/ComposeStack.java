package dev.switchboard.broker.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the compose stack needs on this machine: a Docker engine, docker-compose, and its images, built here by
 * scripts/compose-images.sh (from Debian packages and the jar under test).
 */
final class ComposeStack {
  private ComposeStack() {
  }

  /**
   * Why the stack cannot run here: no Docker engine answers, docker-compose is missing, or the images cannot be built
   * (scripts/compose-images.sh: the base images from Debian packages, once, and the node image from the jar this build
   * packaged, each time); empty when it can.
   */
  static Optional<String> unavailable() {
    if (!Files.isExecutable(Path.of(ComposeCluster.DOCKER))) {
      return Optional.of(ComposeCluster.DOCKER + " is not installed");
    }
    // The engine's version: answered by the engine only ("Cannot connect to the Docker daemon ..." otherwise).
    Script.Result engine = Script.run(List.of(ComposeCluster.DOCKER, "version", "--format", "{{.Server.Version}}"), Map.of(),
        Duration.ofSeconds(30));
    if (engine.exitCode() != 0) {
      return Optional.of("no Docker engine answers (" + ComposeCluster.DOCKER + " version: " + engine.output().strip() + ")");
    }
    if (!Files.isExecutable(Path.of(ComposeCluster.COMPOSE))) {
      return Optional.of(ComposeCluster.COMPOSE + " is not installed");
    }
    // The images: base images from Debian packages (built once, then cached by the engine) and the node image from
    // the jar this build just packaged, so the containers run the code under test.
    Path jar = Path.of(System.getProperty("switchboard.jar",
        Script.repository().resolve("broker/target/switchboard-broker.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      return Optional.of(jar + " is missing (mvn package first)");
    }
    long start = System.nanoTime();
    Script.Result images = Script.run(List.of("bash", Script.repository().resolve("scripts/compose-images.sh")
        .toString()), Map.of(), Duration.ofMinutes(10));
    System.out.printf("scripts/compose-images.sh (%.1f s): %s%n", (System.nanoTime() - start) / 1e9,
        images.output().strip());
    if (images.exitCode() != 0) {
      return Optional.of("scripts/compose-images.sh failed (exit " + images.exitCode() + "): "
          + images.output().strip());
    }
    List<String> missing = ComposeCluster.IMAGES.stream().filter(image -> Script.run(List.of(ComposeCluster.DOCKER, "image", "inspect", image),
        Map.of(), Duration.ofSeconds(30)).exitCode() != 0).toList();
    if (!missing.isEmpty()) {
      return Optional.of("images missing: " + missing + " after scripts/compose-images.sh");
    }
    return Optional.empty();
  }
}
