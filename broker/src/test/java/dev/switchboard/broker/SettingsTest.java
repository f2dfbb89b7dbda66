package dev.switchboard.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

  @Test
  void defaultsThenEnvironmentThenFlags() {
    BrokerOptions o = Settings.parse(new String[] {"--port", "9000", "--join=a:1, b:2"},
        Map.of("SWITCHBOARD_PORT", "7000", "SWITCHBOARD_CLUSTER_NAME", "prod"));
    assertThat(o.port()).isEqualTo(9000);
    assertThat(o.clusterName()).isEqualTo("prod");
    assertThat(o.join()).isEqualTo(List.of("a:1", "b:2"));
    assertThat(o.heartbeatIntervalMs()).isEqualTo(BrokerOptions.DEFAULT_HEARTBEAT_INTERVAL_MS);
  }

  @Test
  void configFileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
    Path file = write(dir, "{\"port\": 7000, \"cluster-name\": \"file\", \"join\": [\"a:1\", \"b:2\"],"
        + " \"drain-window-ms\": 2500, \"log-format\": \"json\", \"max-subscriptions\": 5}");
    BrokerOptions o = Settings.parse(new String[] {"--config", file.toString(), "--max-subscriptions", "9"},
        Map.of("SWITCHBOARD_CLUSTER_NAME", "env", "SWITCHBOARD_MAX_SUBSCRIPTIONS", "7"));
    assertThat(o.port()).isEqualTo(7000);
    assertThat(o.clusterName()).isEqualTo("env");
    assertThat(o.maxSubscriptions()).isEqualTo(9);
    assertThat(o.join()).isEqualTo(List.of("a:1", "b:2"));
    assertThat(o.drainWindowMs()).isEqualTo(2500);
    assertThat(o.logFormat()).isEqualTo("json");
    assertThat(o.heartbeatIntervalMs()).isEqualTo(BrokerOptions.DEFAULT_HEARTBEAT_INTERVAL_MS);
  }

  @Test
  void configFileFromTheEnvironmentUnlessTheFlagNamesAnother(@TempDir Path dir) throws IOException {
    Path fromEnv = write(dir, "{\"port\": 7001}");
    Path fromFlag = Files.writeString(dir.resolve("flag.json"), "{\"port\": 7002}");
    assertThat(Settings.parse(new String[] {}, Map.of("SWITCHBOARD_CONFIG", fromEnv.toString())).port())
        .isEqualTo(7001);
    assertThat(Settings.parse(new String[] {"--config=" + fromFlag}, Map.of("SWITCHBOARD_CONFIG", fromEnv.toString()))
        .port()).isEqualTo(7002);
  }

  @Test
  void badConfigFilesNameTheSettingOrConfig(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", dir.resolve("missing.json").toString()},
        Map.of())).hasMessageStartingWith("config:").hasMessageContaining("missing.json");
    Path notJson = write(dir, "port: 1");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", notJson.toString()}, Map.of()))
        .hasMessageStartingWith("config:").hasMessageContaining("not a JSON object");
    Path array = write(dir, "[1]");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", array.toString()}, Map.of()))
        .hasMessageStartingWith("config:");
    Path unknown = write(dir, "{\"prot\": 1}");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", unknown.toString()}, Map.of()))
        .hasMessageStartingWith("config:").hasMessageContaining("'prot'");
    Path nested = write(dir, "{\"config\": \"other.json\"}");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", nested.toString()}, Map.of()))
        .hasMessageStartingWith("config:").hasMessageContaining("'config'");
    Path badValue = write(dir, "{\"port\": 1.5}");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", badValue.toString()}, Map.of()))
        .hasMessageStartingWith("port:").hasMessageContaining(badValue.toString());
    Path outOfRange = write(dir, "{\"port\": 70000}");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", outOfRange.toString()}, Map.of()))
        .hasMessageStartingWith("port:");
    Path object = write(dir, "{\"join\": {\"a\": 1}}");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--config", object.toString()}, Map.of()))
        .hasMessageStartingWith("join:");
  }

  @Test
  void drainWindowAndLogFormatAreChecked() {
    assertThat(Settings.parse(new String[] {}, Map.of()).drainWindowMs())
        .isEqualTo(BrokerOptions.DEFAULT_DRAIN_WINDOW_MS);
    assertThat(Settings.parse(new String[] {"--drain-window-ms", "0"}, Map.of()).drainWindowMs()).isZero();
    assertThatThrownBy(() -> Settings.parse(new String[] {"--drain-window-ms", "-1"}, Map.of()))
        .hasMessageStartingWith("drain-window-ms:");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--log-format", "xml"}, Map.of()))
        .hasMessageStartingWith("log-format:");
    assertThatThrownBy(() -> Settings.parse(new String[] {}, Map.of("SWITCHBOARD_LOG_FORMAT", "xml")))
        .hasMessageStartingWith("log-format:").hasMessageContaining("SWITCHBOARD_LOG_FORMAT");
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> Settings.parse(new String[] {"--port", "x"}, Map.of())).hasMessageStartingWith("port:");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--port", "70000"}, Map.of())).hasMessageStartingWith("port:");
    assertThatThrownBy(() -> Settings.parse(new String[] {}, Map.of("SWITCHBOARD_CLUSTER_PORT", "0")))
        .hasMessageStartingWith("cluster-port:");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--join", "nohost"}, Map.of())).hasMessageStartingWith("join:");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("--nope");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--port"}, Map.of())).hasMessageStartingWith("port:");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--max-pending-bytes", "10"}, Map.of()))
        .hasMessageStartingWith("max-pending-bytes:");
  }

  @Test
  void operationsDocListsEveryFlagAndVariableWithItsDefault() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "operations.md"));
    BrokerOptions defaults = new BrokerOptions();
    List<Settings.Setting> all = new java.util.ArrayList<>(Settings.ALL);
    all.add(Settings.CONFIG);
    for (Settings.Setting s : all) {
      String row = doc.lines().filter(l -> l.startsWith("| `" + s.flag() + "` |")).findFirst().orElse("");
      assertThat(row).as(s.flag()).contains("`" + s.env() + "`");
      String value = String.valueOf(s.current().apply(defaults));
      if (!value.isEmpty() && !List.of("instances", "join", "history", "config").contains(s.key())) {
        assertThat(row).as(s.flag() + " default").contains("`" + s.current().apply(defaults) + "`");
      }
    }
  }

  @Test
  void helpListsEveryFlagAndVariable() {
    String help = Settings.help();
    for (Settings.Setting s : Settings.ALL) {
      assertThat(help).contains(s.flag()).contains(s.env());
    }
    assertThat(help).contains("--config").contains("SWITCHBOARD_CONFIG");
  }

  private static Path write(Path dir, String json) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "settings", ".json"), json);
  }
}
