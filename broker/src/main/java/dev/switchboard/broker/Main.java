package dev.switchboard.broker;

import dev.switchboard.broker.impl.NodeBootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The launcher: {@code java -jar switchboard-broker.jar [--key value ...]}. Exit codes: 0 after a clean stop, 2 for a
 * bad setting, 1 when the node could not start. SIGTERM drains the node (see {@link SwitchboardNode#drain}), then
 * stops it; the process exits within the drain window plus {@link #STOP_BOUND}.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());
  /** After the drain window: for the last close handshakes and leaving the cluster. */
  static final Duration STOP_BOUND = Duration.ofSeconds(20);

  private Main() {
  }

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(Settings.help());
      return;
    }
    BrokerOptions options;
    try {
      options = Settings.parse(args, System.getenv());
      Logs.configure(options.logFormat());
      checkFree(options.host(), options.port(), "port");
      checkFree(options.clusterHost(), options.clusterPort(), "cluster-port");
    } catch (IllegalArgumentException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    CompletableFuture<SwitchboardNode> started = SwitchboardNode.start(options).toCompletionStage().toCompletableFuture();
    SwitchboardNode node;
    try {
      node = started.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("switchboard: could not start: " + cause);
      System.exit(1);
      return;
    }
    Logs.node(node.nodeId());
    LOG.info(() -> "Switchboard node " + node.nodeId() + " serving ws://" + options.host() + ":" + node.port() + "/ws"
        + " (cluster '" + options.clusterName() + "' on " + options.clusterHost() + ":" + options.clusterPort() + "; "
        + options.instances() + " event loop(s), " + NodeBootstrap.transport(options).name()
        + " transport)");
    GracefulStop.onSignals(() -> {
      Duration window = Duration.ofMillis(options.drainWindowMs());
      LOG.info(() -> "draining: closing " + node.stats().connections() + " connections over " + window.toMillis()
          + " ms, then stopping");
      try {
        node.drain(window).compose(v -> node.stop()).toCompletionStage().toCompletableFuture()
            .get(window.plus(STOP_BOUND).toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("stopped");
        return 0;
      } catch (Exception e) {
        LOG.log(Level.WARNING, "unclean stop", e);
        return 1;
      }
    });
  }

  /** A clear error for a port in use, before Hazelcast or Netty report it their own way. */
  private static void checkFree(String host, int port, String setting) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot listen on " + host + ":" + port + " ("
          + e.getMessage() + "); is another node running? choose another --" + setting);
    }
  }
}
