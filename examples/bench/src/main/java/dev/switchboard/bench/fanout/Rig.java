package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.ws.BenchSocket;
import dev.switchboard.bench.ws.Connector;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connections of a fan-out as a {@link Layout} places them: subscribers, publishers and churn connections, on
 * one engine, with the {@link Tally} they count into. {@link #connect} returns once every subscriber is subscribed
 * and every other connection open. All fields but the final ones are touched on the engine thread only.
 */
final class Rig implements AutoCloseable {
  /** Handshakes under way at once while connecting. */
  static final int MAX_PENDING_HANDSHAKES = 1000;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  final Target target;
  final WsEngine engine;
  final Layout layout;
  final FanoutTopics topics;
  final Tally tally;
  final LoadSubscriber[] subscribers;
  final LoadPublisher[] publishers;
  final Churner[] churners;
  final int payload;
  private int ready;
  private int closed;
  private boolean closing;
  private String firstClose;

  private Rig(Target target, WsEngine engine, Layout layout, int subscriberCount, int publisherCount, int payload) {
    this.target = target;
    this.engine = engine;
    this.layout = layout;
    this.payload = payload;
    this.topics = new FanoutTopics(target, layout.topics());
    this.subscribers = new LoadSubscriber[subscriberCount];
    this.publishers = new LoadPublisher[publisherCount];
    this.churners = new Churner[layout.churners()];
    int[] topicOf = new int[subscriberCount];
    for (int i = 0; i < subscriberCount; i++) {
      topicOf[i] = layout.topicOf(i);
      subscribers[i] = new LoadSubscriber(this, i, topicOf[i]);
    }
    this.tally = new Tally(topicOf, topics.count(), publisherCount, System.nanoTime());
    for (int i = 0; i < publisherCount; i++) {
      Payload.Encoder encoder = new Payload.Encoder(topics.publishPrefixes, topics.publishSuffix, i, payload);
      publishers[i] = new LoadPublisher(this, i, encoder);
    }
    for (int i = 0; i < churners.length; i++) {
      churners[i] = new Churner(this, i);
    }
  }

  /** Connects and subscribes everything, or fails with the first reason a connection gave. */
  static Rig connect(WsEngine engine, Target target, Layout layout, int subscriberCount, int publisherCount,
                     int payload, SourceAddresses sources, Duration timeout) {
    Rig rig = new Rig(target, engine, layout, subscriberCount, publisherCount, payload);
    Node[] subscriberNodes = layout.subscriberNodes().stream().map(Node::of).toArray(Node[]::new);
    Node publisherNode = Node.of(layout.publisherNode());
    int total = subscriberCount + publisherCount + rig.churners.length;
    await(engine.call(() -> {
      new Connector(engine, total, 0, MAX_PENDING_HANDSHAKES,
          i -> rig.open(i, subscriberNodes, publisherNode, sources), () -> rig.ready + rig.closed).start();
      return null;
    }), Duration.ofSeconds(10));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Status s = await(engine.call(rig::status), Duration.ofSeconds(10));
      if (s.closed > 0) {
        rig.close();
        throw new BenchException(target.label() + ": " + s.closed + " of " + total + " connections to "
            + layout.describe() + " failed; first: " + s.firstClose);
      }
      if (s.ready == total) {
        return rig;
      }
      if (System.nanoTime() > deadline) {
        rig.close();
        throw new BenchException(target.label() + ": only " + s.ready + " of " + total + " connections to "
            + layout.describe() + " ready after " + timeout.toSeconds() + " s");
      }
      sleep(50);
    }
  }

  /** Closes every connection (closing handshake), waiting a little for the server to answer. */
  @Override
  public void close() {
    try {
      await(engine.call(() -> {
        closing = true;
        for (LoadSubscriber s : subscribers) {
          close(s.connection);
        }
        for (LoadPublisher p : publishers) {
          close(p.connection);
        }
        for (Churner c : churners) {
          close(c.connection);
        }
        return null;
      }), Duration.ofSeconds(10));
      long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
      while (await(engine.call(engine::connectionCount), Duration.ofSeconds(10)) > 0 && System.nanoTime() < deadline) {
        sleep(20);
      }
    } catch (BenchException e) {
      System.err.println("bench: closing connections: " + e.getMessage());
    }
  }

  /** Connections lost since connecting (engine thread). */
  int closedCount() {
    return closed;
  }

  void ready() {
    ready++;
  }

  void closed(String who, BenchSocket c, int code, String reason) {
    closed++;
    if (closing) {
      return;
    }
    String what = who + (c.wasOpen() ? " closed: " : " could not connect: ") + code + " " + reason;
    if (firstClose == null) {
      firstClose = what;
    }
    tally.closed(what);
  }

  private BenchSocket open(int i, Node[] subscriberNodes, Node publisherNode, SourceAddresses sources) {
    InetAddress local = sources.forConnection(i);
    if (i < subscribers.length) {
      LoadSubscriber s = subscribers[i];
      Node node = subscriberNodes[layout.nodeOf(i, subscribers.length)];
      s.connection = engine.connect(node.remote, node.path, local, s);
      return s.connection;
    }
    i -= subscribers.length;
    if (i < publishers.length) {
      LoadPublisher p = publishers[i];
      p.connection = engine.connect(publisherNode.remote, target.publisherPath(publisherNode.path), local, p);
      return p.connection;
    }
    Churner c = churners[i - publishers.length];
    c.connection = engine.connect(subscriberNodes[0].remote, subscriberNodes[0].path, local, c);
    return c.connection;
  }

  private Status status() {
    return new Status(ready, closed, firstClose);
  }

  private static void close(BenchSocket c) {
    if (c != null) {
      c.close(1000);
    }
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    } catch (ExecutionException e) {
      throw new BenchException("load generator failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchException("load generator thread did not answer within " + timeout.toSeconds() + " s");
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    }
  }

  private record Status(int ready, int closed, String firstClose) {
  }

  /** A node's socket address and WebSocket path. */
  private record Node(InetSocketAddress remote, String path) {
    static Node of(URI url) {
      InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
      if (remote.isUnresolved()) {
        throw new BenchException("cannot resolve " + url.getHost());
      }
      return new Node(remote, url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    }
  }
}
