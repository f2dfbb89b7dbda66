package dev.switchboard.broker.process;

import dev.switchboard.broker.testing.Http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The load balancer of docker-compose.yml, docker/nginx.conf, run by a local nginx in front of local nodes: the
 * service names become 127.0.0.1 ports, it listens on 127.0.0.1 only, and its files go to a directory of the test;
 * nothing else in the file is touched.
 */
final class LocalNginx implements AutoCloseable {
  private final Process process;
  private final Path log;
  final int port;

  private LocalNginx(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The nginx binary on the PATH or in /usr/sbin, if installed. */
  static Optional<Path> binary() {
    Stream<String> dirs = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
        Stream.of("/usr/sbin", "/usr/local/sbin"));
    return dirs.filter(d -> !d.isEmpty()).map(d -> Path.of(d, "nginx")).filter(Files::isExecutable).findFirst();
  }

  /** Starts nginx on 127.0.0.1:{@code port} in front of the nodes listening on {@code nodePorts} (node1, node2, …). */
  static LocalNginx start(Path dir, int port, List<Integer> nodePorts) {
    try {
      String conf = Files.readString(Script.repository().resolve("docker/nginx.conf"));
      for (int i = 0; i < nodePorts.size(); i++) {
        conf = replace(conf, "server node" + (i + 1) + ":8080 ", "server 127.0.0.1:" + nodePorts.get(i) + " ");
      }
      conf = replace(conf, "listen 8080;", "listen 127.0.0.1:" + port + ";");
      conf = replace(conf, "pid /tmp/nginx.pid;", "pid " + dir.resolve("nginx.pid") + ";");
      conf = replace(conf, "access_log off;", "access_log off;\n  client_body_temp_path " + dir.resolve("body")
          + ";\n  proxy_temp_path " + dir.resolve("proxy") + ";");
      Path file = Files.writeString(dir.resolve("nginx.conf"), conf);
      Path log = dir.resolve("nginx.log");
      Process process = new ProcessBuilder(binary().orElseThrow().toString(), "-p", dir.toString(), "-c",
          file.toString(), "-g", "daemon off;").redirectErrorStream(true).redirectOutput(log.toFile()).start();
      LocalNginx nginx = new LocalNginx(process, log, port);
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("nginx exited: " + Files.readString(log));
          }
          return nginx.answers();
        });
      } catch (RuntimeException | AssertionError e) {
        nginx.close();
        throw e;
      }
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Stops nginx (SIGTERM: its fast shutdown) and waits for it. */
  @Override
  public void close() {
    process.toHandle().destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private boolean answers() {
    try {
      return Http.get(port, "/lb-health").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private static String replace(String text, String what, String with) {
    if (!text.contains(what)) {
      throw new IllegalStateException("docker/nginx.conf no longer contains '" + what + "'");
    }
    return text.replace(what, with);
  }
}
