package dev.switchboard.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a real node. {@link #freeze()} stops forwarding in both directions without
 * closing anything: to the client the server goes silent, as behind a dead NAT or a hung machine. {@link #holdNode()}
 * stops reading from the node, so TCP pushes back to it as from a client that does not read, and
 * {@link #release()} passes on what waited, in order. {@link #cut()} drops every connection and refuses new ones
 * until {@link #restore()}: an outage.
 */
public final class FreezableProxy implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  /** The proxy's sockets to the node. */
  private final List<NetSocket> nodeSides = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;
  private volatile boolean refusing;

  private FreezableProxy(Vertx vertx, int targetPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || frozen || refusing) {
          in.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket out = ar.result();
        sockets.add(in);
        sockets.add(out);
        nodeSides.add(out);
        in.handler(b -> {
          if (!frozen) {
            out.write(b);
          }
        });
        out.handler(b -> {
          if (!frozen) {
            in.write(b);
          }
        });
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    });
  }

  public static FreezableProxy start(Vertx vertx, int targetPort) {
    FreezableProxy proxy = new FreezableProxy(vertx, targetPort);
    Probe.await(proxy.server.listen(0, "127.0.0.1"));
    return proxy;
  }

  public String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  /** From now on nothing passes, in either direction, on any connection; new connections are refused. */
  public void freeze() {
    frozen = true;
  }

  /** Stops reading what the node sends, on every connection: the node's writes back up as behind a stuck client. */
  public void holdNode() {
    nodeSides.forEach(NetSocket::pause);
  }

  /** Passes on what the node sent while held, then forwards again. */
  public void release() {
    nodeSides.forEach(NetSocket::resume);
  }

  /** Drops every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    refusing = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
    nodeSides.clear();
  }

  /** Accepts connections again after {@link #cut()}. */
  public void restore() {
    refusing = false;
  }

  @Override
  public void close() {
    sockets.forEach(NetSocket::close);
    server.close();
    client.close();
  }
}
