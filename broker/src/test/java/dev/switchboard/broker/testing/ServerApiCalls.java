package dev.switchboard.broker.testing;

import dev.switchboard.broker.BrokerOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls to a node's server API ({@code /api/v1/}) with the JDK's HTTP client, blocking, with or without a key; the
 * key file the test nodes are started with ({@link #on}).
 */
public final class ServerApiCalls {
  /** A key of the file {@link #keyFile} holds. */
  public static final String KEY = "test-key-0123456789abcdef0123456789abcdef";
  /** The file's other key: a node takes either. */
  public static final String OTHER_KEY = "other-key-fedcba9876543210fedcba9876543210";
  private static Path file;

  private final int port;
  private final String key;

  public ServerApiCalls(int port, String key) {
    this.port = port;
    this.key = key;
  }

  /** Calls with {@link #KEY}. */
  public static ServerApiCalls to(int port) {
    return new ServerApiCalls(port, KEY);
  }

  /** The tuning of a node with the server API on. */
  public static Consumer<BrokerOptions> on() {
    return o -> o.security().apiKeyFile(keyFile().toString());
  }

  /** A key file with both keys, a comment and a blank line, deleted when the JVM exits. */
  public static synchronized Path keyFile() {
    try {
      if (file == null) {
        file = Files.createTempFile("switchboard-api-keys", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, "# the test keys\n\n  " + KEY + "  \n" + OTHER_KEY + "\n");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** POSTs {@code body} to {@code /api/v1}{@code path}. */
  public HttpResponse<String> post(String path, String body) {
    return Http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json"));
  }

  /** GETs {@code /api/v1}{@code pathAndQuery}. */
  public HttpResponse<String> get(String pathAndQuery) {
    return Http.send(request(pathAndQuery).GET());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path));
    return key == null ? builder : builder.header("X-API-Key", key);
  }

  /** {@code value} for a query string. */
  public static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The body of an answer that must be 200, in JSON. */
  public static JsonObject ok(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
    return new JsonObject(answer.body());
  }

  /** An answer that must be the error {@code code} with {@code status}: {@code {"error":{"code","message"}}}. */
  public static JsonObject error(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.fieldNames()).containsExactly("error");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "message");
    assertThat(error.getString("code")).as(answer.body()).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    return error;
  }
}
