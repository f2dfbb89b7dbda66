package dev.switchboard.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Live counters of one node, safe to read from any thread. Gauges go up and down; counters only go up.
 */
public final class NodeStats {
  private final LongConsumer latencySink;
  final AtomicLong connections = new AtomicLong();
  final AtomicLong sseStreams = new AtomicLong();
  final AtomicLong subscriptions = new AtomicLong();
  final AtomicLong clusterConsumers = new AtomicLong();
  final LongAdder published = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder errors = new LongAdder();
  /** Refusals by reason (security and limits: origin, unauthorized, forbidden, rate_limited, ...). */
  final ConcurrentHashMap<String, LongAdder> refusals = new ConcurrentHashMap<>();
  final LongAdder slowConsumerCloses = new LongAdder();
  final LongAdder heartbeatTimeouts = new LongAdder();
  final LongAdder deliveryLatencyCount = new LongAdder();
  final LongAdder deliveryLatencyNanos = new LongAdder();
  /** Topics and patterns with a local subscriber, each with the number of this node's event loops holding it. */
  final ConcurrentHashMap<String, Integer> topics = new ConcurrentHashMap<>();

  public NodeStats() {
    this(nanos -> { });
  }

  /** Counters that also hand every delivery latency recorded to {@code latencySink} (the node's histogram). */
  public NodeStats(LongConsumer latencySink) {
    this.latencySink = latencySink;
  }

  /** Open WebSocket connections (gauge). */
  public long connections() {
    return connections.get();
  }

  /** Open server-sent-events streams ({@code GET /sse}), beside the WebSocket connections (gauge). */
  public long sseStreams() {
    return sseStreams.get();
  }

  /** Subscriptions held by this node's connections and SSE streams (gauge). */
  public long subscriptions() {
    return subscriptions.get();
  }

  /** Clustered event-bus consumers this node has registered: one per topic or pattern per event loop (gauge). */
  public long clusterConsumers() {
    return clusterConsumers.get();
  }

  /** Topics and patterns that at least one of this node's connections is subscribed to (gauge). */
  public long topics() {
    return topics.mappingCount();
  }

  /** Up to {@code limit} of the topics and patterns counted by {@link #topics()}, in no particular order. */
  public List<String> topicNames(int limit) {
    List<String> names = new ArrayList<>(Math.min(limit, topics.size()));
    for (String topic : topics.keySet()) {
      if (names.size() >= limit) {
        break;
      }
      names.add(topic);
    }
    return names;
  }

  /** Messages accepted from publishers on this node. */
  public long published() {
    return published.sum();
  }

  /** Messages this node's event loops received from the cluster event bus (before fan-out to connections). */
  public long received() {
    return received.sum();
  }

  /** Message frames written to this node's connections. */
  public long delivered() {
    return delivered.sum();
  }

  /** Refusals of one reason (see {@link #refusals()}). */
  public long refusals(String reason) {
    LongAdder count = refusals.get(reason);
    return count == null ? 0 : count.sum();
  }

  /** Requests, connections and handshakes refused by a security rule or a limit, all reasons together. */
  public long refusals() {
    return refusals.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Error frames sent. */
  public long errors() {
    return errors.sum();
  }

  /** Connections closed with {@code slow_consumer}. */
  public long slowConsumerCloses() {
    return slowConsumerCloses.sum();
  }

  /** Connections closed with {@code heartbeat_timeout}. */
  public long heartbeatTimeouts() {
    return heartbeatTimeouts.sum();
  }

  /** Publish-to-delivery latencies recorded (see {@link Recorder#deliveryLatency}). */
  public long deliveryLatencyCount() {
    return deliveryLatencyCount.sum();
  }

  /** The sum of the publish-to-delivery latencies recorded, in nanoseconds. */
  public long deliveryLatencyTotalNanos() {
    return deliveryLatencyNanos.sum();
  }

  /** Mutations, for the broker's own classes. */
  public final class Recorder {
    private Recorder() {
    }

    public void connectionOpened() {
      connections.incrementAndGet();
    }

    public void connectionClosed() {
      connections.decrementAndGet();
    }

    public void sseStreamOpened() {
      sseStreams.incrementAndGet();
    }

    public void sseStreamClosed() {
      sseStreams.decrementAndGet();
    }

    public void subscriptions(int delta) {
      subscriptions.addAndGet(delta);
    }

    public void clusterConsumers(int delta) {
      clusterConsumers.addAndGet(delta);
    }

    /**
     * An event loop took its first subscriber of {@code topic} (a topic or pattern). Called once per topic per event
     * loop, with the cluster consumer, never per message.
     */
    public void topicHeld(String topic) {
      topics.merge(topic, 1, Integer::sum);
    }

    /** An event loop lost its last subscriber of {@code topic}. */
    public void topicReleased(String topic) {
      topics.computeIfPresent(topic, (t, loops) -> loops == 1 ? null : loops - 1);
    }

    public void published() {
      published.increment();
    }

    public void received() {
      received.increment();
    }

    public void delivered(int count) {
      delivered.add(count);
    }

    /** A request, connection or handshake refused by a security rule or limit, counted by its reason. */
    public void refused(String reason) {
      refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void error() {
      errors.increment();
    }

    public void slowConsumerClosed() {
      slowConsumerCloses.increment();
    }

    public void heartbeatTimedOut() {
      heartbeatTimeouts.increment();
    }

    /**
     * One message's latency from its publish being accepted to its delivery to this node's subscribers, in
     * nanoseconds (a negative value, from clocks that disagree, counts as 0). Goes to the latency histogram.
     */
    public void deliveryLatency(long nanos) {
      long latency = Math.max(0, nanos);
      deliveryLatencyCount.increment();
      deliveryLatencyNanos.add(latency);
      latencySink.accept(latency);
    }
  }

  private final Recorder recorder = new Recorder();

  /** The write side of these counters. */
  public Recorder recorder() {
    return recorder;
  }
}
