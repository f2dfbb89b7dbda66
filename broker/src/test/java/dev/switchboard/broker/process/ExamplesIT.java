package dev.switchboard.broker.process;

import com.fasterxml.jackson.core.JsonFactory;
import dev.switchboard.client.SwitchboardClient;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command-line examples of {@code examples/}, run as processes against nodes started from the launcher jar.
 * The broker does not depend on the examples module (and is built before it), so their sources are compiled here,
 * against the client the broker's tests use.
 */
@ExtendWith(ProcessReaper.class)
class ExamplesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path classes;
  private static ProcessCluster cluster;

  @BeforeAll
  static void compileExamplesAndStartCluster() throws Exception {
    Path sources = NodeProcess.jar().toAbsolutePath().getParent().getParent().getParent()
        .resolve("examples/src/main/java");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", clientClasspath(), "-proc:none"));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK with javac").isNotNull();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac " + args).isZero();
    cluster = ProcessCluster.start(2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void chatDeliversLinesBetweenUsersAndReportsTheFailover() {
    JavaProcess bob = example("chat-bob", "Chat", "bob", "it", "--server", cluster.url(0) + "," + cluster.url(1));
    JavaProcess alice = example("chat-alice", "Chat", "alice", "it", "--server", cluster.url(0));
    String node0 = cluster.node(0).nodeId();
    bob.awaitLine("* joined chat.it as bob", WAIT);
    alice.awaitLine("* joined chat.it as alice", WAIT);
    bob.awaitLine("* connected to node " + node0 + " at " + cluster.url(0), WAIT);

    alice.writeLine("hello bob");
    alice.writeLine("héllo ☎ again");

    bob.awaitLine("[alice] héllo ☎ again", WAIT);
    assertThat(bob.stdout()).containsSubsequence("[alice] hello bob", "[alice] héllo ☎ again");
    alice.closeStdin();
    assertThat(alice.awaitExit(WAIT)).isZero();
    assertThat(alice.stdout()).contains("* connected to node " + node0 + " at " + cluster.url(0))
        .anyMatch(line -> line.startsWith("* closed"));

    cluster.node(0).kill();

    bob.awaitLine(line -> line.startsWith("* disconnected from node " + node0 + " (connection lost)"), WAIT);
    bob.awaitLine("* reconnected to node " + cluster.node(1).nodeId() + " at " + cluster.url(1), WAIT);
    bob.closeStdin();
    assertThat(bob.awaitExit(WAIT)).isZero();
  }

  @Test
  void tickerWatcherPrintsThePricesAPublisherSends() {
    JavaProcess watcher = example("ticker-watch", "Ticker", "watch", "--server", cluster.url(1));
    watcher.awaitLine("* watching ticker.>", WAIT);

    JavaProcess publisher = example("ticker-publish", "Ticker", "publish", "ACME", "--count", "3",
        "--server", cluster.url(1));

    assertThat(publisher.awaitExit(WAIT)).isZero();
    List<String> sent = publisher.stdout().stream().filter(l -> l.startsWith("ticker.ACME "))
        .map(l -> "ACME " + l.substring("ticker.ACME ".length())).toList();
    assertThat(sent).hasSize(3);
    await().atMost(WAIT).until(() -> prices(watcher).size() >= sent.size());
    assertThat(prices(watcher)).isEqualTo(sent);
  }

  private static List<String> prices(JavaProcess watcher) {
    return watcher.stdout().stream().filter(l -> l.startsWith("ACME ")).toList();
  }

  private static JavaProcess example(String name, String mainClass, String... args) {
    List<String> javaArgs = new ArrayList<>(List.of("-Xmx64m", "-cp",
        classes + File.pathSeparator + clientClasspath(), "dev.switchboard.examples." + mainClass));
    javaArgs.addAll(List.of(args));
    return JavaProcess.start(name, javaArgs, Map.of());
  }

  /** The client SDK and its dependencies (Jackson), as this test JVM loaded them (jars or target/classes). */
  private static String clientClasspath() {
    return String.join(File.pathSeparator, location(SwitchboardClient.class), location(JsonFactory.class),
        location(com.fasterxml.jackson.databind.ObjectMapper.class),
        location(com.fasterxml.jackson.annotation.JsonProperty.class),
        location(com.fasterxml.jackson.datatype.jsr310.JavaTimeModule.class),
        location(com.fasterxml.jackson.datatype.jdk8.Jdk8Module.class));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot find the classes of " + type, e);
    }
  }
}
