package dev.switchboard.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/** Plain HTTP requests to a node on 127.0.0.1, with the JDK's client. */
public final class Http {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private Http() {
  }

  /** GET {@code path} on 127.0.0.1:{@code port}. */
  public static HttpResponse<String> get(int port, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
        .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POSTs {@code body} (UTF-8) to {@code path} on 127.0.0.1:{@code port}. */
  public static HttpResponse<String> post(int port, String path, String body) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Sends a request built by the caller (any method, headers or body) and reads the answer as text. */
  public static HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(TIMEOUT).build();
    try {
      return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(built.method() + " " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The HTTP status a WebSocket upgrade to {@code url} was refused with, or 101 if it was accepted (then closed). */
  public static int upgradeStatus(String url) {
    try {
      WebSocket ws = CLIENT.newWebSocketBuilder().connectTimeout(TIMEOUT)
          .buildAsync(URI.create(url), new WebSocket.Listener() { }).join();
      ws.abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }
}
