package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  private static ClientOptions.Builder valid() {
    return ClientOptions.builder().servers("ws://localhost:8080/ws");
  }

  @Test
  void defaults() {
    ClientOptions o = valid().build();
    assertThat(o.servers()).containsExactly(URI.create("ws://localhost:8080/ws"));
    assertThat(o.reconnectDelayMin()).isEqualTo(Duration.ofMillis(100)).isEqualTo(ClientOptions.DEFAULT_RECONNECT_DELAY_MIN);
    assertThat(o.reconnectDelayMax()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.maxReconnectAttempts()).isEqualTo(-1);
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.publishBufferBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(o.heartbeatGrace()).isEqualTo(ClientOptions.DEFAULT_HEARTBEAT_GRACE);
    assertThat(o.dispatcher()).isNull();
    assertThat(o.connectionListener()).isNull();
    assertThat(o.sslContext()).isNull();
  }

  @Test
  void serversKeepTheirOrderAndGetTheDefaultPath() {
    ClientOptions o = ClientOptions.builder().servers("ws://a:1", "wss://b/", "WS://c:3/custom").build();
    assertThat(o.servers()).containsExactly(
        URI.create("ws://a:1/ws"), URI.create("wss://b/ws"), URI.create("WS://c:3/custom"));
    ClientOptions fromUris = ClientOptions.builder().servers(List.of(URI.create("ws://a:1/ws"))).build();
    assertThat(fromUris.servers()).containsExactly(URI.create("ws://a:1/ws"));
  }

  @Test
  void serversAreRequired() {
    assertThatThrownBy(() -> ClientOptions.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("servers:");
    assertThatThrownBy(() -> ClientOptions.builder().servers().build()).hasMessageStartingWith("servers:");
  }

  @Test
  void serverUrlsAreChecked() {
    assertThatThrownBy(() -> ClientOptions.builder().servers("http://localhost:8080/ws").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servers").hasMessageContaining("ws://");
    assertThatThrownBy(() -> ClientOptions.builder().servers("localhost:8080").build()).hasMessageContaining("servers");
    assertThatThrownBy(() -> ClientOptions.builder().servers("ws://has space/ws").build())
        .hasMessageContaining("servers");
    assertThatThrownBy(() -> ClientOptions.builder().servers("ws:///ws").build()).hasMessageContaining("no host");
    assertThatThrownBy(() -> ClientOptions.builder().servers("ws://ok", null).build()).hasMessageContaining("null");
  }

  @Test
  void reconnectDelays() {
    assertThatThrownBy(() -> valid().reconnectDelayMin(Duration.ofSeconds(2)).reconnectDelayMax(Duration.ofSeconds(1))
        .build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconnectDelayMin").hasMessageContaining("reconnectDelayMax");
    assertThatThrownBy(() -> valid().reconnectDelayMin(Duration.ZERO).build()).hasMessageStartingWith("reconnectDelayMin");
    assertThatThrownBy(() -> valid().reconnectDelayMax(null).build()).hasMessageStartingWith("reconnectDelayMax");
    assertThat(valid().reconnectDelayMin(Duration.ofSeconds(1)).reconnectDelayMax(Duration.ofSeconds(1)).build()
        .reconnectDelayMax()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void otherSettings() {
    assertThatThrownBy(() -> valid().maxReconnectAttempts(-2).build()).hasMessageStartingWith("maxReconnectAttempts");
    assertThat(valid().maxReconnectAttempts(0).build().maxReconnectAttempts()).isZero();
    assertThatThrownBy(() -> valid().connectTimeout(Duration.ofMillis(-1)).build())
        .hasMessageStartingWith("connectTimeout");
    assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build()).hasMessageStartingWith("requestTimeout");
    assertThatThrownBy(() -> valid().publishBufferBytes(0).build()).hasMessageStartingWith("publishBufferBytes");
    assertThatThrownBy(() -> valid().heartbeatGrace(Duration.ofMillis(-1)).build())
        .hasMessageStartingWith("heartbeatGrace");
    assertThat(valid().heartbeatGrace(Duration.ZERO).build().heartbeatGrace()).isZero();
  }

  @Test
  void jsonRawIsValidated() {
    assertThat(Json.raw(" {\"a\":[1,2.50]} ").text()).isEqualTo(" {\"a\":[1,2.50]} ");
    assertThat(Json.raw("null")).isEqualTo(Json.raw("null"));
    assertThatThrownBy(() -> Json.raw("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.raw("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.raw("1 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.raw("nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
