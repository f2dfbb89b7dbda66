package dev.switchboard.broker.ops;

import dev.switchboard.broker.auth.Refusal;
import dev.switchboard.broker.cluster.NodeHealth;
import dev.switchboard.broker.NodeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus registry, scraped on {@code /metrics}: the JVM's metrics (through vertx-micrometer-metrics)
 * and Switchboard's own, read from {@link NodeStats} at each scrape, so the message path pays nothing for them but
 * the latency histogram. Vert.x's own per-socket and event-bus metrics are off: they would cost on every message.
 */
public final class NodeMetrics {
  static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer latency = Timer.builder("switchboard.delivery.latency")
      .description("Time from a publish accepted to its delivery to this node's subscribers")
      .serviceLevelObjectives(LATENCY_BUCKETS)
      .register(registry);

  /** What Vert.x is built with to report into this registry. */
  public MicrometerMetricsFactory factory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** JVM metrics on, every Vert.x metrics domain off. */
  public MetricsOptions options() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName("switchboard-" + UUID.randomUUID());
    for (MetricsDomain domain : MetricsDomain.values()) {
      options.addDisabledMetricsCategory(domain);
    }
    return options;
  }

  public void recordLatency(long nanos) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registers the meters that read the node's counters, its cluster and its readiness. */
  public void bind(NodeStats stats, HazelcastClusterManager cluster, NodeHealth health) {
    gauge("switchboard.connections", "Open WebSocket connections", stats, NodeStats::connections);
    gauge("switchboard.sse.streams", "Open server-sent-events streams", stats, NodeStats::sseStreams);
    gauge("switchboard.subscriptions", "Subscriptions held by this node's connections and SSE streams", stats,
        NodeStats::subscriptions);
    gauge("switchboard.topics", "Topics and patterns at least one of this node's clients is subscribed to", stats,
        NodeStats::topics);
    gauge("switchboard.cluster.consumers", "Clustered event-bus consumers: one per topic or pattern per event loop",
        stats, NodeStats::clusterConsumers);
    counter("switchboard.messages.published", "Messages accepted from publishers on this node", stats,
        NodeStats::published);
    counter("switchboard.messages.received", "Messages received from the cluster, before fan-out", stats,
        NodeStats::received);
    counter("switchboard.messages.delivered", "Message frames written to this node's connections", stats,
        NodeStats::delivered);
    counter("switchboard.errors", "Error frames sent to clients", stats, NodeStats::errors);
    counter("switchboard.slow.consumer.closes", "Connections closed as slow consumers (4001)", stats,
        NodeStats::slowConsumerCloses);
    counter("switchboard.heartbeat.timeouts", "Connections closed for a missed heartbeat (4000)", stats,
        NodeStats::heartbeatTimeouts);
    for (Refusal refusal : Refusal.values()) {
      FunctionCounter.builder("switchboard.refusals", stats, st -> st.refusals(refusal.reason))
          .description("Handshakes, connections and requests refused by a security rule or limit, by reason")
          .tag("reason", refusal.reason).register(registry);
    }
    gauge("switchboard.cluster.members", "Members of the cluster as this node sees them", cluster,
        NodeMetrics::members);
    gauge("switchboard.ready", "1 while the node is ready for clients, 0 while starting or draining", health,
        h -> h.isReady() ? 1 : 0);
  }

  public Handler<RoutingContext> scrapeHandler() {
    return PrometheusScrapingHandler.create(registry);
  }

  public void close() {
    registry.close();
  }

  private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }

  private void counter(String name, String description, NodeStats stats, ToDoubleFunction<NodeStats> value) {
    FunctionCounter.builder(name, stats, value).description(description).register(registry);
  }

  private static double members(HazelcastClusterManager cluster) {
    try {
      return cluster.getNodes().size();
    } catch (RuntimeException e) { // Hazelcast is shutting down
      return 0;
    }
  }
}
