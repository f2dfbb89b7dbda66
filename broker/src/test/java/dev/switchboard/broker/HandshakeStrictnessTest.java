package dev.switchboard.broker;

import dev.switchboard.broker.testing.RawWebSocket;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The opening handshake, written by hand on a raw socket: the node upgrades an RFC 6455 (version 13) handshake and
 * nothing looser. A request that is no upgrade, or of another version (the hixie and hybi drafts), is answered 426
 * with {@code Sec-WebSocket-Version: 13}; anything else malformed 400. Every refusal closes the connection, and none
 * keeps one of the node's client slots (it allows one client here).
 */
class HandshakeStrictnessTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static TestCluster cluster;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = TestCluster.of(1, o -> o.security().maxConnections(1));
    port = cluster.node(0).port();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** The one client slot is free: the previous test's session has ended. */
  @BeforeEach
  void slotFree() {
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).stats().connections() == 0);
  }

  /** A handshake for {@code /ws} with these header lines (each ending in CRLF) after the request line. */
  private static String request(String version, String headers) {
    return "GET /ws " + version + "\r\n" + headers + "\r\n";
  }

  private static String upgrade(String key, String wsVersion) {
    return "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: " + wsVersion + "\r\n";
  }

  /** Sends {@code request} and returns the node's answer, after checking that the node then closes the connection. */
  private static RawWebSocket.Response refused(String request) {
    try (RawWebSocket ws = RawWebSocket.request(port, request)) {
      RawWebSocket.Response response = ws.response();
      assertThat(response.header("connection")).as("connection of " + response).containsExactly("close");
      assertThat(ws.endOfStream()).as("the node closed the connection").isTrue();
      return response;
    }
  }

  private static void assertUpgradeRequired(RawWebSocket.Response response) {
    assertThat(response.status()).as(response.statusLine()).isEqualTo(426);
    assertThat(response.header("sec-websocket-version")).containsExactly("13");
  }

  @Test
  void aHixie76HandshakeIsToldTheVersion() {
    // draft-hixie-76: no Sec-WebSocket-Version, two keys in the headers and eight bytes of a third after them.
    String hixie = request("HTTP/1.1", "Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n"
        + "Origin: http://127.0.0.1\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
        + "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n") + "^n:ds[4U";
    assertUpgradeRequired(refused(hixie));
  }

  @ParameterizedTest(name = "Sec-WebSocket-Version: {0}")
  @ValueSource(strings = {"7", "8", "12", "0", "14", "13, 8"})
  void anotherVersionIsToldTheVersion(String version) {
    assertUpgradeRequired(refused(request("HTTP/1.1", upgrade(KEY, version))));
  }

  @Test
  void aPlainGetOfTheWebSocketPathIsToldToUpgrade() {
    assertUpgradeRequired(refused(request("HTTP/1.1", "Host: 127.0.0.1\r\nAccept: text/html\r\n")));
  }

  @ParameterizedTest(name = "Sec-WebSocket-Key: {0}")
  @ValueSource(strings = {
      "AQIDBAUGBwg=", // 8 bytes
      "AQIDBAUGBwgJCgsMDQ4PEBES", // 18 bytes
      "!!!!not*base64!!!!!!!!==", // not base64
      "dGhlIHNhbXBsZSBub25jZQ", // 16 bytes without their padding
      ""})
  void aKeyThatIsNotSixteenBytesInBase64IsABadRequest(String key) {
    assertThat(refused(request("HTTP/1.1", upgrade(key, "13"))).status()).isEqualTo(400);
  }

  @Test
  void aMissingKeyIsABadRequest() {
    String noKey = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    assertThat(refused(request("HTTP/1.1", noKey)).status()).isEqualTo(400);
  }

  @Test
  void twoKeysAreABadRequest() {
    String twoKeys = upgrade(KEY, "13") + "Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw==\r\n";
    assertThat(refused(request("HTTP/1.1", twoKeys)).status()).isEqualTo(400);
  }

  @Test
  void http10IsABadRequest() {
    assertThat(refused(request("HTTP/1.0", upgrade(KEY, "13"))).status()).isEqualTo(400);
  }

  @Test
  void aMissingHostIsABadRequest() {
    String noHost = upgrade(KEY, "13").replace("Host: 127.0.0.1\r\n", "");
    assertThat(refused(request("HTTP/1.1", noHost)).status()).isEqualTo(400);
  }

  @ParameterizedTest(name = "Connection: {0}")
  @ValueSource(strings = {"keep-alive", "close", "upgraded"})
  void aConnectionHeaderWithoutUpgradeIsABadRequest(String connection) {
    String headers = upgrade(KEY, "13").replace("Connection: Upgrade", "Connection: " + connection);
    assertThat(refused(request("HTTP/1.1", headers)).status()).isEqualTo(400);
  }

  @Test
  void anotherMethodIsNotAllowed() {
    RawWebSocket.Response response = refused("POST /ws HTTP/1.1\r\n" + upgrade(KEY, "13") + "Content-Length: 0\r\n\r\n");
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("allow")).containsExactly("GET");
  }

  @Test
  void aHandshakeWithABodyIsABadRequest() {
    String withBody = "GET /ws HTTP/1.1\r\n" + upgrade(KEY, "13") + "Content-Length: 4\r\n\r\nbody";
    assertThat(refused(withBody).status()).isEqualTo(400);
  }

  @Test
  void anUpgradeToAnotherPathIsNotFound() {
    assertThat(refused("GET /health/live HTTP/1.1\r\n" + upgrade(KEY, "13") + "\r\n").status()).isEqualTo(404);
  }

  @Test
  void aVersion13HandshakeIsUpgradedWithTheRightAcceptAndTheSessionWorks() throws Exception {
    String key = Base64.getEncoder().encodeToString("sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII));
    // Header names and tokens in any case, Connection as a list of tokens (as Firefox sends it).
    String handshake = "GET /ws HTTP/1.1\r\nhost: 127.0.0.1\r\nUPGRADE: WebSocket\r\n"
        + "Connection: keep-alive, Upgrade\r\nsec-websocket-key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    try (RawWebSocket ws = RawWebSocket.request(port, handshake)) {
      RawWebSocket.Response response = ws.response();
      assertThat(response.status()).as(response.statusLine()).isEqualTo(101);
      String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
      assertThat(response.header("sec-websocket-accept")).containsExactly(expected);
      assertThat(response.header("upgrade")).containsExactly("websocket");
      assertThat(ws.read().text()).contains("\"type\":\"welcome\"");
      ws.write(RawWebSocket.text("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"strict\"}"));
      assertThat(ws.readSkippingPings().text()).contains("\"type\":\"subscribed\"");
    }
  }

  @Test
  void theRfcExampleKeyGetsTheRfcExampleAccept() {
    try (RawWebSocket ws = RawWebSocket.request(port, request("HTTP/1.1", upgrade(KEY, "13")))) {
      RawWebSocket.Response response = ws.response();
      assertThat(response.status()).isEqualTo(101);
      assertThat(response.header("sec-websocket-accept")).containsExactly("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      assertThat(ws.read().text()).contains("\"type\":\"welcome\"");
    }
  }

  @Test
  void anUpgradeRefusedAfterTheGateGivesItsClientSlotBack() {
    // The gate admits this request, takes the slot, and Vert.x's upgrade refuses it: java.net.URI rejects '|'.
    for (int i = 0; i < 3; i++) {
      try (RawWebSocket ws = RawWebSocket.request(port, "GET /ws?a=|b HTTP/1.1\r\n" + upgrade(KEY, "13") + "\r\n")) {
        assertThat(ws.response().status()).isEqualTo(400);
        assertThat(ws.endOfStream()).as("the node closed the connection").isTrue();
      }
    }
    RawWebSocket.open(port).close();
  }

  @Test
  void refusalsKeepNoClientSlot() {
    for (int i = 0; i < 5; i++) {
      refused(request("HTTP/1.1", upgrade(KEY, "8")));
      refused(request("HTTP/1.1", upgrade("AQIDBAUGBwg=", "13")));
    }
    // The node allows one client: a slot kept by any refusal would refuse this one with 503.
    RawWebSocket.open(port).close();
  }
}
