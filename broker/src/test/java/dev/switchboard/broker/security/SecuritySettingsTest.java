package dev.switchboard.broker.security;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The security settings through flags, the environment and the config file, each refused naming itself. */
class SecuritySettingsTest {

  @Test
  void defaultsAreOpenAndUnlimitedRates() {
    SecurityOptions s = Settings.parse(new String[] {}, Map.of()).security();
    assertThat(s.authRequired()).isFalse();
    assertThat(s.allowedOrigins()).isEmpty();
    assertThat(s.tls()).isFalse();
    assertThat(s.publishRate()).isZero();
    assertThat(s.maxConnections()).isEqualTo(SecurityOptions.DEFAULT_MAX_CONNECTIONS);
    assertThat(s.maxTopicLength()).isEqualTo(255);
  }

  @Test
  void everySourceReachesTheOptions(@TempDir Path dir) throws IOException {
    Path secret = Files.writeString(dir.resolve("secret"), "s3cret");
    Path config = Files.writeString(dir.resolve("node.json"), "{\"auth\": \"required\", \"auth-secret-file\": \""
        + secret + "\", \"allowed-origins\": [\"https://a.example\", \"https://B.example/\"], \"publish-rate\": 50}");
    BrokerOptions o = Settings.parse(new String[] {"--config", config.toString(), "--max-topic-depth", "4"},
        Map.of("SWITCHBOARD_USER_PUBLISH_RATE", "70", "SWITCHBOARD_AUTH_CLAIM_USER", "uid"));
    SecurityOptions s = o.security();
    assertThat(s.authRequired()).isTrue();
    assertThat(s.allowedOrigins()).isEqualTo(List.of("https://a.example", "https://b.example"));
    assertThat(s.publishRate()).isEqualTo(50);
    assertThat(s.userPublishRate()).isEqualTo(70);
    assertThat(s.userClaim()).isEqualTo("uid");
    assertThat(s.maxTopicDepth()).isEqualTo(4);
  }

  @Test
  void badValuesNameTheirSetting(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> parse("--auth", "maybe")).hasMessageStartingWith("auth:");
    assertThatThrownBy(() -> parse("--auth", "required")).hasMessageStartingWith("auth-secret-file:");
    assertThatThrownBy(() -> parse("--auth", "required", "--auth-algorithm", "RS256"))
        .hasMessageStartingWith("auth-public-key-file:");
    assertThatThrownBy(() -> parse("--auth", "required", "--auth-secret-file", dir.resolve("none").toString()))
        .hasMessageStartingWith("auth-secret-file:").hasMessageContaining("cannot read");
    assertThatThrownBy(() -> parse("--auth-algorithm", "none")).hasMessageStartingWith("auth-algorithm:");
    assertThatThrownBy(() -> parse("--allowed-origins", "app.example.com")).hasMessageStartingWith("allowed-origins:");
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThatThrownBy(() -> parse("--tls-cert-file", cert.toString())).hasMessageStartingWith("tls-key-file:");
    assertThatThrownBy(() -> parse("--max-connections", "0")).hasMessageStartingWith("max-connections:");
    assertThatThrownBy(() -> parse("--publish-rate", "-1")).hasMessageStartingWith("publish-rate:");
    assertThatThrownBy(() -> parse("--max-topic-length", "256")).hasMessageStartingWith("max-topic-length:");
    assertThatThrownBy(() -> parse("--max-topic-depth", "17")).hasMessageStartingWith("max-topic-depth:");
    assertThatThrownBy(() -> parse("--auth-timeout-ms", "x")).hasMessageStartingWith("auth-timeout-ms:");
  }

  @Test
  void theApiKeyFileIsReadAtStartAndAShortKeyRefusedNamingTheLine(@TempDir Path dir) throws IOException {
    String key = "k".repeat(ApiKeyFile.MIN_LENGTH);
    Path good = Files.writeString(dir.resolve("keys"), "# backends\n\n  " + key + "\n" + key + "2\n");
    assertThat(ApiKeyFile.read(good.toString())).containsExactly(key, key + "2");
    assertThat(Settings.parse(new String[] {}, Map.of("SWITCHBOARD_API_KEY_FILE", good.toString())).security()
        .serverApi()).isTrue();
    assertThat(parse().security().serverApi()).isFalse();
    Path shortKey = Files.writeString(dir.resolve("short"), key + "\n# old\n" + "s".repeat(31) + "\n");
    assertThatThrownBy(() -> parse("--api-key-file", shortKey.toString())).hasMessageStartingWith("api-key-file:")
        .hasMessageContaining("line 3").hasMessageContaining("at least 32").hasMessageNotContaining("sss");
    Path spaced = Files.writeString(dir.resolve("spaced"), key + " " + key + "\n");
    assertThatThrownBy(() -> parse("--api-key-file", spaced.toString())).hasMessageStartingWith("api-key-file:");
    Path empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n");
    assertThatThrownBy(() -> parse("--api-key-file", empty.toString())).hasMessageContaining("holds no key");
    assertThatThrownBy(() -> Settings.parse(new String[] {}, Map.of("SWITCHBOARD_API_KEY_FILE",
        dir.resolve("none").toString()))).hasMessageStartingWith("api-key-file:").hasMessageContaining("no such file")
        .hasMessageContaining("SWITCHBOARD_API_KEY_FILE");
  }

  private static BrokerOptions parse(String... args) {
    return Settings.parse(args, Map.of());
  }
}
