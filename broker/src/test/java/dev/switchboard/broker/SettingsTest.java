package dev.switchboard.broker;

import org.junit.jupiter.api.Test;

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
    for (Settings.Setting s : Settings.ALL) {
      String row = doc.lines().filter(l -> l.startsWith("| `" + s.flag() + "` |")).findFirst().orElse("");
      assertThat(row).as(s.flag()).contains("`" + s.env() + "`");
      if (!s.key().equals("instances") && !s.key().equals("join") && !s.key().equals("history")) {
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
  }
}
