package dev.switchboard.broker.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a real node. {@link #freeze()} stops forwarding in both directions without
 * closing anything: to the client the server goes silent, as behind a dead NAT or a hung machine.
 */
public final class FreezableProxy implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;

  private FreezableProxy(Vertx vertx, int targetPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || frozen) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        sockets.add(in);
        sockets.add(out);
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

  @Override
  public void close() {
    sockets.forEach(NetSocket::close);
    server.close();
    client.close();
  }
}
