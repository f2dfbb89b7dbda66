package dev.switchboard.broker.impl;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;
import dev.switchboard.protocol.CloseCode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Starts the parts of a node in order: Hazelcast and the clustered Vert.x, the pattern directory, the verticles. */
public final class NodeBootstrap {

  /** A started node's parts. */
  public record Started(Vertx vertx, HazelcastClusterManager clusterManager, String nodeId, int port, NodeStats stats,
                        Runnable afterClose, Drain drain, BooleanSupplier ready) {
  }

  /** Closes a node's clients with a close code, spread over a window; completes when every one is closed. */
  public interface Drain {
    Future<Void> start(CloseCode code, long windowMs);
  }

  private NodeBootstrap() {
  }

  public static Future<Started> start(BrokerOptions options) {
    HazelcastClusterManager clusterManager;
    try {
      clusterManager = new HazelcastClusterManager(hazelcastConfig(options));
    } catch (UnknownHostException e) {
      return Future.failedFuture(new IllegalArgumentException("cluster-host: unknown host " + options.clusterHost()));
    }
    NodeMetrics metrics = new NodeMetrics();
    VertxOptions vertxOptions = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(options.clusterHost()).setPort(options.busPort()))
        .setMetricsOptions(metrics.options());
    // Completed from whichever thread finishes: a failed start closes Vert.x, and no context is left to run on.
    Promise<Started> result = Promise.promise();
    Vertx.builder().with(vertxOptions).withMetrics(metrics.factory()).withClusterManager(clusterManager)
        .buildClustered().onComplete(built -> {
          if (built.failed()) {
            metrics.close();
            result.fail(built.cause());
            return;
          }
          Vertx vertx = built.result();
          deploy(vertx, clusterManager, options, metrics).onComplete(deployed -> {
            if (deployed.succeeded()) {
              result.complete(deployed.result());
            } else {
              vertx.close().onComplete(closed -> result.fail(deployed.cause()));
            }
          });
        });
    return result.future();
  }

  private static Future<Started> deploy(Vertx vertx, HazelcastClusterManager clusterManager, BrokerOptions options,
                                        NodeMetrics metrics) {
    vertx.eventBus().registerDefaultCodec(Delivery.class, new Delivery.Codec());
    // Hazelcast calls block: the directory is set up on a worker, not on an event loop.
    HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
    return vertx.executeBlocking(() -> new HazelcastPatternDirectory(vertx, hazelcast))
        .compose(patterns -> vertx.executeBlocking(() -> History.join(hazelcast, options.history()))
            .compose(history -> deployVerticles(vertx, clusterManager, options, patterns, metrics, history))
            .onFailure(e -> {
              patterns.close();
              metrics.close();
            }));
  }

  private static Future<Started> deployVerticles(Vertx vertx, HazelcastClusterManager clusterManager,
                                                 BrokerOptions options, PatternDirectory patterns,
                                                 NodeMetrics metrics, History history) {
    String nodeId = clusterManager.getNodeId();
    NodeStats stats = new NodeStats(metrics::recordLatency);
    NodeHealth health = new NodeHealth(vertx, clusterManager);
    metrics.bind(stats, clusterManager, health);
    Security security;
    try {
      security = Security.create(vertx, options.security(), stats.recorder());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    ClusterView view = new ClusterView(new NodeSnapshot(nodeId, options, stats, health), clusterManager);
    BrokerContext node = new BrokerContext(options, stats, nodeId, patterns, health, metrics, history, security,
        view);
    // All instances share one listening port; Vert.x shares a random port only when it is asked for as -1.
    int port = options.port() == 0 ? -1 : options.port();
    List<BrokerVerticle> instances = new CopyOnWriteArrayList<>();
    Drain drain = (code, windowMs) -> {
      health.draining();
      return Future.all(instances.stream().map(v -> v.drain(code, windowMs)).toList()).mapEmpty();
    };
    return vertx.deployVerticle(() -> {
      BrokerVerticle verticle = new BrokerVerticle(node, port);
      instances.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(options.instances()))
        .compose(id -> {
          health.serving();
          int actualPort = instances.get(0).actualPort();
          view.listening(actualPort);
          return vertx.deployVerticle(view).map(actualPort); // one per node; undeployed when Vert.x closes
        })
        .map(actualPort -> new Started(vertx, clusterManager, nodeId, actualPort, stats, () -> {
          patterns.close();
          metrics.close();
        }, drain, health::isReady));
  }

  static Config hazelcastConfig(BrokerOptions options) throws UnknownHostException {
    String clusterIp = InetAddress.getByName(options.clusterHost()).getHostAddress();
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
    // The node leaves the cluster in its own shutdown, after its connections are closed; not in Hazelcast's hook.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join",
        System.getProperty("hazelcast.wait.seconds.before.join", "1"));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(clusterIp));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>(options.join());
    members.add(clusterIp + ":" + options.clusterPort());
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    History.configure(config, options.history());
    return config;
  }
}
