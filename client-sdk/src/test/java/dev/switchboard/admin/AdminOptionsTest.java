package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminOptionsTest {
  static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  void defaultsAndTheRequiredSettings() {
    AdminOptions o = AdminOptions.builder().baseUrl(" http://localhost:8080 ").apiKey(KEY).build();
    assertThat(o.baseUrl().toString()).isEqualTo("http://localhost:8080");
    assertThat(o.requestTimeout()).isEqualTo(AdminOptions.DEFAULT_REQUEST_TIMEOUT);
    assertThat(o.connectTimeout()).isEqualTo(AdminOptions.DEFAULT_CONNECT_TIMEOUT);
    assertThat(o.httpClient()).isNull();
    assertThat(o.toString()).doesNotContain(KEY);
    assertThat(SwitchboardAdmin.create("https://sb.example/prefix/", KEY).toString())
        .isEqualTo("SwitchboardAdmin[https://sb.example/prefix]");
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> AdminOptions.builder().apiKey(KEY).build()).hasMessageStartingWith("baseUrl:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("ws://h:1").apiKey(KEY).build())
        .hasMessageStartingWith("baseUrl:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("http://h:1/?a=b").apiKey(KEY).build())
        .hasMessageStartingWith("baseUrl:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("not a url").apiKey(KEY).build())
        .hasMessageStartingWith("baseUrl:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("http://h:1").build()).hasMessageStartingWith("apiKey:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("http://h:1").apiKey(" " + KEY).build())
        .hasMessageStartingWith("apiKey:");
    assertThatThrownBy(() -> AdminOptions.builder().baseUrl("http://h:1").apiKey(KEY)
        .requestTimeout(Duration.ZERO).build()).hasMessageStartingWith("requestTimeout:");
    assertThatThrownBy(() -> SwitchboardAdmin.create(null)).isInstanceOf(NullPointerException.class);
  }
}
