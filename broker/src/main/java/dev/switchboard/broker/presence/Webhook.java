package dev.switchboard.broker.presence;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSTs topic and user events to a URL, one at a time and in order, each as a JSON object signed with a shared
 * secret: header {@value #SIGNATURE} {@code sha256=<hex HMAC-SHA256 of the body>}. A 2xx answer delivers it; any
 * other answer, a connection failure or no answer within {@value #TIMEOUT_MS} ms is tried again after 1, 2 and 4 s,
 * then given up and logged. At most {@value #MAX_QUEUED} events wait; past that the newest is dropped and logged.
 */
public final class Webhook {
  static final String SIGNATURE = "X-Switchboard-Signature";
  static final int ATTEMPTS = 4;
  static final long TIMEOUT_MS = 5_000;
  static final int MAX_QUEUED = 10_000;
  private static final Logger LOG = Logger.getLogger(Webhook.class.getName());

  private final Vertx vertx;
  private final HttpClient client;
  private final String url;
  private final SecretKeySpec key;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private boolean sending;
  private long dropped;

  public Webhook(Vertx vertx, String url, byte[] secret) {
    this.vertx = vertx;
    this.url = url;
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
  }

  /** Queues {@code event}; from any thread. */
  public void post(JsonObject event) {
    String body = event.encode();
    synchronized (this) {
      if (queue.size() >= MAX_QUEUED) {
        dropped++;
        LOG.warning("webhook: " + MAX_QUEUED + " events wait for " + url + "; dropped this one (" + dropped
            + " in all): " + body);
        return;
      }
      queue.add(body);
      if (sending) {
        return;
      }
      sending = true;
    }
    vertx.runOnContext(v -> next());
  }

  private void next() {
    String body;
    synchronized (this) {
      body = queue.poll();
      if (body == null) {
        sending = false;
        return;
      }
    }
    send(body, 1);
  }

  private void send(String body, int attempt) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setTimeout(TIMEOUT_MS).putHeader("content-type", "application/json")
        .putHeader(SIGNATURE, "sha256=" + sign(body));
    client.request(request).compose(r -> r.send(Buffer.buffer(body))).onComplete(ar -> {
      int status = ar.succeeded() ? ar.result().statusCode() : 0;
      if (status >= 200 && status < 300) {
        next();
      } else if (attempt < ATTEMPTS) {
        vertx.setTimer(1000L << (attempt - 1), t -> send(body, attempt + 1));
      } else {
        LOG.log(Level.WARNING, "webhook: gave up on an event after " + ATTEMPTS + " attempts ("
            + (ar.succeeded() ? "HTTP " + status : ar.cause().toString()) + "): " + body);
        next();
      }
    });
  }

  String sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
