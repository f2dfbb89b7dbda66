package dev.switchboard.bench.conn;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.ws.Connector;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many connections that connect at a rate, subscribe, then stay idle: the time each took from its intended start to
 * open and to subscribed, how many failed or dropped, pings answered. Engine thread only, but for {@link #status}.
 */
final class Crowd {
  static final int MAX_PENDING_HANDSHAKES = 1000;
  private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

  final boolean subscribes;
  private final WsEngine engine;
  private final Member[] members;
  private final Histogram openNanos = new Histogram(HIGHEST_NANOS, 3);
  private final Histogram subscribedNanos = new Histogram(HIGHEST_NANOS, 3);
  private Connector connector;
  private int opened;
  private int subscribed;
  private int closed;
  private long pings;
  private boolean closing;
  private String firstFailure;
  private int failures;

  Crowd(WsEngine engine, Target target, int count) {
    this.engine = engine;
    this.subscribes = target.subscribes();
    this.members = new Member[count];
  }

  /** Starts connecting {@code members.length} connections at {@code perSecond} (0: as fast as allowed). */
  void start(URI url, double perSecond, int topics, String topicPrefix, SourceAddresses sources) {
    InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    await(engine.call(() -> {
      connector = new Connector(engine, members.length, perSecond, MAX_PENDING_HANDSHAKES, i -> {
        Member m = new Member(this, i, topicPrefix + (i % topics), connector.intendedStart(i, System.nanoTime()));
        members[i] = m;
        m.connection = engine.connect(remote, path, sources.forConnection(i), m);
        return m.connection;
      }, () -> subscribed + closed);
      connector.start();
      return null;
    }));
  }

  Status status() {
    return await(engine.call(() -> new Status(connector.started(), opened, subscribed, closed, failures, pings,
        firstFailure, openNanos.copy(), subscribedNanos.copy())));
  }

  /** Closes every connection (closing handshake) and waits a little for them to go. */
  void close(Duration wait) {
    await(engine.call(() -> {
      closing = true;
      for (Member m : members) {
        if (m != null && m.connection != null) {
          m.connection.close(1000);
        }
      }
      return null;
    }));
    long deadline = System.nanoTime() + wait.toNanos();
    while (await(engine.call(engine::connectionCount)) > 0 && System.nanoTime() < deadline) {
      sleep(50);
    }
  }

  void opened(long nanos) {
    opened++;
    openNanos.recordValue(Math.max(1, Math.min(HIGHEST_NANOS, nanos)));
  }

  void subscribed(long nanos) {
    subscribed++;
    subscribedNanos.recordValue(Math.max(1, Math.min(HIGHEST_NANOS, nanos)));
  }

  void pinged() {
    pings++;
  }

  void failed(String what) {
    failures++;
    if (firstFailure == null) {
      firstFailure = what;
    }
  }

  void closed(Member m, String what) {
    closed++;
    if (!closing) {
      failed("connection " + m.index + " " + what);
    }
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    } catch (ExecutionException e) {
      throw new BenchException("load generator failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchException("load generator thread did not answer within 30 s");
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

  /** The crowd at one moment; the histograms are copies. */
  record Status(int started, int opened, int subscribed, int closed, int failures, long pings, String firstFailure,
                Histogram openNanos, Histogram subscribedNanos) {
  }
}
