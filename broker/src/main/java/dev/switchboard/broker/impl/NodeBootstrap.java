package dev.switchboard.broker.impl;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.NodeStats;
import dev.switchboard.broker.auth.Security;
import dev.switchboard.broker.cluster.ClusterJoin;
import dev.switchboard.broker.cluster.NodeHealth;
import dev.switchboard.broker.history.History;
import dev.switchboard.broker.ops.ClusterView;
import dev.switchboard.broker.ops.NodeMetrics;
import dev.switchboard.broker.ops.NodeSnapshot;
import dev.switchboard.broker.presence.PresenceEvents;
import dev.switchboard.broker.presence.PresenceService;
import dev.switchboard.broker.presence.Webhook;
import dev.switchboard.broker.routing.BrokerContext;
import dev.switchboard.broker.routing.ClientCommands;
import dev.switchboard.broker.routing.Delivery;
import dev.switchboard.broker.routing.HazelcastPatternDirectory;
import dev.switchboard.broker.routing.PatternDirectory;
import dev.switchboard.protocol.CloseCode;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

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

  private static final Logger LOG = Logger.getLogger(NodeBootstrap.class.getName());
  /** The split-brain protection of the history store: its reads and writes need min-members. */
  static final String QUORUM = "switchboard-min-members";
  /** Clients of a node that lost its quorum are closed over at most this window. */
  static final long SHED_WINDOW_MS = 2_000;
  /** How long a starting node waits for the names of its join list to resolve (peers starting a moment later). */
  static final long JOIN_NAMES_WAIT_MS = 10_000;
  static final int MERGE_CHECK_SECONDS = 10;

  private NodeBootstrap() {
  }

  public static Future<Started> start(BrokerOptions options) {
    // Resolving names blocks (and may wait for peers' names): not on the caller's thread, which may be an event loop.
    return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
      try {
        return hazelcastConfig(options);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cluster-host: unknown host " + options.clusterHost());
      }
    }, runnable -> new Thread(runnable, "switchboard-bootstrap").start()))
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e))
        .compose(config -> start(options, new HazelcastClusterManager(config)));
  }

  private static Future<Started> start(BrokerOptions options, HazelcastClusterManager clusterManager) {
    NodeMetrics metrics = new NodeMetrics();
    VertxOptions vertxOptions = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(options.clusterHost()).setPort(options.busPort()))
        .setMetricsOptions(metrics.options());
    // Completed from whichever thread finishes: a failed start closes Vert.x, and no context is left to run on.
    Promise<Started> result = Promise.promise();
    Transport transport = transport(options);
    if (transport == Transport.NIO && !"nio".equals(options.transport())) {
      LOG.log(Level.INFO, "the epoll transport is not available here, using nio: "
          + Transport.EPOLL.unavailabilityCause());
    }
    Vertx.builder().with(vertxOptions).withTransport(transport).withMetrics(metrics.factory())
        .withClusterManager(clusterManager).buildClustered().onComplete(built -> {
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

  /**
   * The transport {@code --transport} names; {@code auto}: epoll where Netty's native library loads (Linux x86-64),
   * else nio (the start logs why). {@code epoll} or {@code io_uring} where it does not load fails the start with the reason.
   */
  public static Transport transport(BrokerOptions options) {
    Transport epoll = Transport.EPOLL;
    switch (options.transport()) {
      case "nio":
        return Transport.NIO;
      case "io_uring":
        if (!Transport.IO_URING.available()) {
          throw new IllegalArgumentException("transport: io_uring is not available here: "
              + Transport.IO_URING.unavailabilityCause());
        }
        return Transport.IO_URING;
      case "epoll":
        if (!epoll.available()) {
          throw new IllegalArgumentException("transport: epoll is not available here: " + epoll.unavailabilityCause());
        }
        return epoll;
      default:
        return epoll.available() ? epoll : Transport.NIO;
    }
  }

  private static Future<Started> deploy(Vertx vertx, HazelcastClusterManager clusterManager, BrokerOptions options,
                                        NodeMetrics metrics) {
    vertx.eventBus().registerDefaultCodec(Delivery.class, new Delivery.Codec());
    // Hazelcast calls block: the directory is set up on a worker, not on an event loop.
    HazelcastInstance hazelcast = clusterManager.getHazelcastInstance();
    return vertx.executeBlocking(() -> new HazelcastPatternDirectory(vertx, hazelcast))
        .compose(patterns -> vertx.executeBlocking(() -> History.join(hazelcast, options.history()))
            // Resolving the join list's names blocks too.
            .compose(history -> vertx.executeBlocking(() -> ClusterJoin.namesOthers(options))
                .compose(joinsOthers -> webhook(vertx, options).compose(webhook -> deployVerticles(vertx,
                    clusterManager, options, patterns, metrics, history, joinsOthers, webhook))))
            .onFailure(e -> {
              patterns.close();
              metrics.close();
            }));
  }

  private static Future<Started> deployVerticles(Vertx vertx, HazelcastClusterManager clusterManager,
                                                 BrokerOptions options, PatternDirectory patterns,
                                                 NodeMetrics metrics, History history, boolean joinsOthers,
                                                 Webhook webhook) {
    String nodeId = clusterManager.getNodeId();
    NodeStats stats = new NodeStats(metrics::recordLatency);
    NodeHealth health = new NodeHealth(vertx, clusterManager, options.minMembers(), joinsOthers);
    metrics.bind(stats, clusterManager, health);
    Security security;
    try {
      security = Security.create(vertx, options.security(), stats.recorder());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    ClusterView view = new ClusterView(new NodeSnapshot(nodeId, options, stats, health), clusterManager);
    List<BrokerVerticle> instances = new CopyOnWriteArrayList<>();
    PresenceEvents.Outlet outlet = new PresenceEvents.Outlet() {
      @Override
      public void topicEvent(String topic, JsonObject frame) {
        if (instances.isEmpty()) {
          LOG.warning(() -> "presence event before the node serves, not sent: " + frame.encode());
        } else {
          instances.get(0).presenceEvent(topic, frame);
        }
      }

      @Override
      public void systemEvent(JsonObject event) {
        if (instances.isEmpty()) {
          LOG.warning(() -> "system event before the node serves, not published: " + event.encode());
        } else {
          instances.get(0).publish(PresenceEvents.SYSTEM_TOPIC, event.encode());
        }
        if (webhook != null) {
          webhook.post(event);
        }
      }
    };
    PresenceService presence = new PresenceService(options.presence(), clusterManager, new PresenceEvents(vertx,
        clusterManager, options.presenceGraceMs(), options.failureDetectionMs(), outlet));
    security.users.listen(presence);
    BrokerContext node = new BrokerContext(options, stats, nodeId, patterns, health, metrics, history, security,
        view, presence);
    // All instances share one listening port; Vert.x shares a random port only when it is asked for as -1.
    int port = options.port() == 0 ? -1 : options.port();
    Drain drain = (code, windowMs) -> {
      health.draining();
      return Future.all(instances.stream().map(v -> v.drain(code, windowMs)).toList()).mapEmpty();
    };
    // Cut off in a minority: the clients go (to reconnect through the majority), spread over a short window.
    health.onQuorumLost(() -> {
      LOG.warning(() -> "lost the cluster's quorum (min-members " + options.minMembers()
          + "): closing every client with " + CloseCode.NO_QUORUM.code() + " " + CloseCode.NO_QUORUM.reason());
      instances.forEach(v -> v.drain(CloseCode.NO_QUORUM, Math.min(options.drainWindowMs(), SHED_WINDOW_MS)));
    });
    clusterManager.getHazelcastInstance().getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info("merged back into the cluster after a partition");
        vertx.executeBlocking(() -> {
          history.rejoin();
          return null;
        }, false).onFailure(e -> LOG.log(Level.WARNING, "could not read the cluster's epoch after a merge", e));
        if (patterns instanceof HazelcastPatternDirectory directory) {
          directory.merged();
        }
        presence.merged();
      }
    });
    // Presence first: the clients' subscriptions count in it from the first.
    return vertx.deployVerticle(presence).compose(p -> vertx.deployVerticle(() -> {
      BrokerVerticle verticle = new BrokerVerticle(node, port);
      instances.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(options.instances())))
        // The server API's commands to a user's clients reach this node's event loops through its own address.
        .compose(id -> ClientCommands.serve(vertx, nodeId, () -> instances.stream().map(BrokerVerticle::hub)
            .filter(Objects::nonNull).toList()))
        .compose(commands -> {
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

  /** The webhook of presence events, with its secret read from its file; null without {@code --webhook-url}. */
  private static Future<Webhook> webhook(Vertx vertx, BrokerOptions options) {
    if (options.webhookUrl() == null) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().readFile(options.webhookSecretFile()).map(secret -> {
      byte[] bytes = secret.toString(StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
      if (bytes.length < 16) {
        throw new IllegalArgumentException("webhook-secret-file: the secret must be at least 16 bytes");
      }
      return new Webhook(vertx, options.webhookUrl(), bytes);
    });
  }

  static Config hazelcastConfig(BrokerOptions options) throws UnknownHostException {
    String clusterIp = InetAddress.getByName(options.clusterHost()).getHostAddress();
    ClusterJoin.awaitNames(options.join(), JOIN_NAMES_WAIT_MS);
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Hazelcast's own metrics feed its Management Center, which a node does not use: its metrics are /metrics.
    // Collecting them costs every member CPU every few seconds, also when idle.
    config.getMetricsConfig().setEnabled(false);
    config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
    // The node leaves the cluster in its own shutdown, after its connections are closed; not in Hazelcast's hook.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join",
        System.getProperty("hazelcast.wait.seconds.before.join", "1"));
    // Bind to and announce the cluster address itself. Not through network interfaces: with interfaces enabled,
    // Hazelcast keeps only the join addresses that match them, and every peer's host name that resolves elsewhere (a
    // container's name) silently drops out of the join list: each node then forms a cluster of its own.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", clusterIp);
    failureDetection(config, options.failureDetectionMs());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = new ArrayList<>(options.join());
    members.add(clusterIp + ":" + options.clusterPort());
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    String protection = null;
    if (options.minMembers() > 1) {
      protection = QUORUM;
      config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM, true, options.minMembers())
          .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
    }
    History.configure(config, options.history(), protection);
    // After a partition, the merging side's pattern keys are dropped (under its old member id they would stay for
    // good); it writes its live ones again under its new id (HazelcastPatternDirectory.merged).
    config.addMapConfig(new MapConfig(HazelcastPatternDirectory.MAP)
        .setMergePolicyConfig(new MergePolicyConfig(DiscardMergePolicy.class.getName(),
            MergePolicyConfig.DEFAULT_BATCH_SIZE)));
    return config;
  }

  /**
   * A member unheard for {@code ms} is removed (heartbeats every second), and after a partition heals the two sides
   * look for each other every {@value #MERGE_CHECK_SECONDS} s to merge (Hazelcast's defaults: 60 s, and 300 s then
   * 120 s, longer than a broker's clients wait). Each can be overridden by its Hazelcast system property.
   */
  private static void failureDetection(Config config, long ms) {
    String seconds = String.valueOf(Math.max(2, (ms + 999) / 1000));
    config.setProperty("hazelcast.heartbeat.interval.seconds",
        System.getProperty("hazelcast.heartbeat.interval.seconds", "1"));
    config.setProperty("hazelcast.max.no.heartbeat.seconds",
        System.getProperty("hazelcast.max.no.heartbeat.seconds", seconds));
    config.setProperty("hazelcast.merge.first.run.delay.seconds",
        System.getProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_CHECK_SECONDS)));
    config.setProperty("hazelcast.merge.next.run.delay.seconds",
        System.getProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_CHECK_SECONDS)));
  }
}
