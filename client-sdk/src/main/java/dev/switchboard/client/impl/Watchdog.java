package dev.switchboard.client.impl;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives up on a connection that does not answer. Until {@code welcome}: one deadline, {@code connectTimeout} from the
 * start of the attempt, covering the opening handshake and the wait for {@code welcome} together. After it: a silence
 * (no frame of any kind) longer than the heartbeat limit. Loop thread only.
 */
final class Watchdog {

  /** Called on the loop thread when the watched connection is to be dropped. */
  interface Expired {
    void expired(WsConnection connection, String why);
  }

  private final Loop loop;
  private final Duration connectTimeout;
  private final Expired expired;
  private WsConnection conn;
  private long silenceLimitNanos;
  private ScheduledFuture<?> timer;

  Watchdog(Loop loop, Duration connectTimeout, Expired expired) {
    this.loop = loop;
    this.connectTimeout = connectTimeout;
    this.expired = expired;
  }

  /** An attempt on {@code c} starts now: it must be welcomed within {@code connectTimeout}, whatever it receives. */
  void connecting(WsConnection c) {
    stop();
    conn = c;
    timer = loop.schedule(() -> expire(c, "no welcome within connectTimeout " + connectTimeout.toMillis() + " ms"),
        connectTimeout.toNanos());
  }

  /** {@code c} was welcomed: from now on it is dropped once nothing was received for {@code silenceLimitNanos}. */
  void welcomed(WsConnection c, long silenceLimitNanos) {
    stop();
    conn = c;
    this.silenceLimitNanos = silenceLimitNanos;
    timer = loop.schedule(this::checkSilence, silenceLimitNanos);
  }

  void stop() {
    Loop.cancel(timer);
    timer = null;
    conn = null;
  }

  private void checkSilence() {
    WsConnection c = conn;
    if (c == null) {
      return;
    }
    long idle = System.nanoTime() - c.lastReceived();
    if (idle < silenceLimitNanos) {
      timer = loop.schedule(this::checkSilence, silenceLimitNanos - idle);
      return;
    }
    expire(c, "nothing received for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms");
  }

  private void expire(WsConnection c, String why) {
    if (c != conn) {
      return;
    }
    timer = null;
    conn = null;
    expired.expired(c, why);
  }
}
