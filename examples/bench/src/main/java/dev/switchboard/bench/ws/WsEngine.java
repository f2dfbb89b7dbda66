package dev.switchboard.bench.ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A lean WebSocket client for load generation: one selector thread drives every connection, with one shared read
 * buffer. Connections, tickers and listeners are touched only on that thread; other threads hand it work with
 * {@link #execute} or {@link #call}.
 */
public final class WsEngine implements AutoCloseable {
  /** The shared read buffer; also the largest frame a server may send. */
  public static final int READ_BUFFER_BYTES = 256 * 1024;
  private static final long IDLE_WAIT_MS = 100;

  /** Work the engine runs on its thread at the times it asks for. */
  public interface Ticker {
    /** Does what is due at {@code nowNanos}; returns when it wants to run next ({@link System#nanoTime()}). */
    long tick(long nowNanos);
  }

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Ticker> tickers = new ArrayList<>();
  private final Set<BenchSocket> connections = new HashSet<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
  private volatile boolean running = true;
  private volatile Throwable failure;

  private WsEngine(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
  }

  public static WsEngine start(String name) {
    WsEngine engine = new WsEngine(name);
    engine.thread.start();
    return engine;
  }

  /** Runs {@code task} on the engine thread, after what is queued before it. */
  public void execute(Runnable task) {
    tasks.add(task);
    if (Thread.currentThread() != thread) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} on the engine thread and completes with its result. */
  public <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(() -> {
      try {
        result.complete(task.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * Opens a connection to {@code ws://host:port/path} at {@code remote}, from {@code local} (any local address if
   * null). Engine thread only. A connection that cannot even start is reported to {@code listener} at once.
   */
  public BenchSocket connect(InetSocketAddress remote, String path, InetAddress local, WsListener listener) {
    requireEngineThread();
    SocketChannel channel;
    try {
      channel = SocketChannel.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a socket (open-file limit reached?)", e);
    }
    BenchSocket connection = new BenchSocket(this, channel,
        listener, WsHandshake.request(remote.getHostString(), remote.getPort(), path));
    connections.add(connection);
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (local != null) {
        channel.bind(new InetSocketAddress(local, 0));
      }
      boolean connected = channel.connect(remote);
      connection.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
          connection);
      if (connected) {
        connection.onConnected();
      }
    } catch (IOException e) {
      connection.finish(1006, "connect from " + local + ": " + e.getMessage());
    }
    return connection;
  }

  /** Engine thread only. */
  public void addTicker(Ticker ticker) {
    requireEngineThread();
    tickers.add(ticker);
  }

  /** Engine thread only. */
  public void removeTicker(Ticker ticker) {
    requireEngineThread();
    tickers.remove(ticker);
  }

  /** Connections not closed yet. Engine thread only. */
  public int connectionCount() {
    requireEngineThread();
    return connections.size();
  }

  /** The first exception a listener or ticker threw, if any; the engine keeps running after it. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the thread and drops every connection still open. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void forget(BenchSocket connection) {
    connections.remove(connection);
  }

  private void loop() {
    try {
      while (running) {
        long now = System.nanoTime();
        long next = now + TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_MS);
        for (int i = 0; i < tickers.size(); i++) {
          next = Math.min(next, guarded(tickers.get(i), now));
        }
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          guarded(task);
        }
        long waitNanos = next - System.nanoTime();
        if (!tasks.isEmpty() || waitNanos <= 0) {
          selector.selectNow(this::ready);
        } else {
          selector.select(this::ready, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
        }
      }
    } catch (IOException e) {
      fail(e);
    } finally {
      for (BenchSocket connection : new ArrayList<>(connections)) {
        connection.abort();
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // The engine is gone either way.
      }
    }
  }

  private void ready(SelectionKey key) {
    BenchSocket connection = (BenchSocket) key.attachment();
    try {
      int ops = key.readyOps();
      if ((ops & SelectionKey.OP_CONNECT) != 0) {
        connection.onConnectable();
      }
      if ((ops & SelectionKey.OP_READ) != 0 && key.isValid()) {
        connection.onReadable(readBuffer, System.nanoTime());
      }
      if ((ops & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
        connection.onWritable();
      }
    } catch (RuntimeException e) {
      fail(e);
      connection.finish(1011, "load generator failure: " + e);
    }
  }

  private long guarded(Ticker ticker, long now) {
    try {
      return ticker.tick(now);
    } catch (RuntimeException e) {
      fail(e);
      execute(() -> tickers.remove(ticker));
      return Long.MAX_VALUE;
    }
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Throwable e) {
    if (failure == null) {
      failure = e;
      System.err.println("bench: engine " + thread.getName() + " failed: " + e);
      e.printStackTrace();
    }
  }

  private void requireEngineThread() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("only on the engine thread " + thread.getName());
    }
  }
}
