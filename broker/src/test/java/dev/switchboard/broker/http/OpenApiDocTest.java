package dev.switchboard.broker.http;

import dev.switchboard.broker.NodeStats;
import dev.switchboard.broker.testing.ServerApiCalls;
import dev.switchboard.broker.testing.TestCluster;
import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document ({@code GET /api/v1/openapi.json}) against the server API itself: what it documents is what
 * the router routes, every documented operation answers on a real node, and its error codes are the protocol's.
 */
class OpenApiDocTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/switchboard/broker/http");
  static TestCluster cluster;
  static JsonObject document;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, ServerApiCalls.on());
    document = ServerApiCalls.ok(new ServerApiCalls(cluster.node(0).port(), null).get("/openapi.json"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** "GET /api/v1/info" for each operation of the document. */
  static Set<String> documented() {
    Set<String> operations = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        operations.add(method.toUpperCase() + " " + path);
      }
    }
    return operations;
  }

  @Test
  void theDocumentDescribesExactlyTheRoutesOfTheRouter() {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      ServerApi.mount(router, id -> ctx -> ctx.response().end(), ctx -> ctx.next(), new NodeStats().recorder());
      Set<String> routed = new TreeSet<>();
      for (Route route : router.getRoutes()) {
        if (route.methods() != null && !route.methods().isEmpty()) {
          assertThat(route.getPath()).startsWith(ServerApi.PREFIX + "/");
          route.methods().forEach(m -> routed.add(m.name() + " " + route.getPath()));
        }
      }
      assertThat(routed).isNotEmpty().isEqualTo(documented());
    } finally {
      vertx.close();
    }
    Set<String> ids = new HashSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (ServerApi.Operation operation : ServerApi.OPERATIONS) {
      JsonObject documented = paths.getJsonObject(ServerApi.PREFIX + operation.path())
          .getJsonObject(operation.method().name().toLowerCase());
      assertThat(documented.getString("operationId")).as(operation.path()).isEqualTo(operation.id());
      assertThat(ids.add(operation.id())).isTrue();
    }
  }

  @Test
  void everyDocumentedOperationAnswersOnANodeWithAKey() {
    ServerApiCalls api = ServerApiCalls.to(cluster.node(0).port());
    for (String operation : documented()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String path = operation.substring(operation.indexOf(' ') + 1).substring(ServerApi.PREFIX.length());
      HttpResponse<String> answer = method.equals(HttpMethod.POST.name()) ? api.post(path, "{}") : api.get(path);
      assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isIn(200, 400);
      if (answer.statusCode() != 200) {
        assertThat(ServerApiCalls.error(answer, 400, new JsonObject(answer.body()).getJsonObject("error")
            .getString("code")).getString("code")).isIn("invalid_field", "invalid_json");
      }
    }
  }

  @Test
  void theDocumentedErrorCodesAreTheProtocolsAndCoverEveryCodeTheServerApiAnswers() throws IOException {
    Set<String> documented = new TreeSet<>(document.getJsonObject("components").getJsonObject("schemas")
        .getJsonObject("Error").getJsonObject("properties").getJsonObject("error").getJsonObject("properties")
        .getJsonObject("code").getJsonArray("enum").stream().map(String::valueOf).toList());
    Set<String> protocol = new TreeSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    assertThat(protocol).containsAll(documented);
    Set<String> answered = new TreeSet<>();
    Pattern used = Pattern.compile("ErrorCode\\.([A-Z_]+)");
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("(Api\\w*|ServerApi)\\.java")).toList()) {
        Matcher m = used.matcher(Files.readString(file));
        while (m.find()) {
          answered.add(ErrorCode.valueOf(m.group(1)).wire());
        }
      }
    }
    assertThat(answered).contains("invalid_json", "invalid_field", "unauthorized", "not_found");
    assertThat(documented).containsAll(answered);
    // Every documented error response names its codes.
    JsonObject responses = document.getJsonObject("components").getJsonObject("responses");
    for (String name : responses.fieldNames()) {
      assertThat(responses.getJsonObject(name).getString("description")).as(name).containsPattern("`[a-z_]+`");
    }
  }
}
