package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.Message;
import dev.switchboard.client.Payloads;
import dev.switchboard.client.Payloads.Line;
import dev.switchboard.client.Payloads.Named;
import dev.switchboard.client.Payloads.Order;
import dev.switchboard.client.Payloads.Positive;
import dev.switchboard.client.Payloads.Status;
import dev.switchboard.client.TypeRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageImplTest {

  private static Message message(String json) {
    return new MessageImpl("orders.eu", null, json, null);
  }

  @Test
  void recordRoundTrip() {
    Order order = Payloads.order();
    Message m = message(JsonCodec.encode(order));
    assertThat(m.as(Order.class)).isEqualTo(order);
    assertThat(m.as(Order.class).lines().get(1).sku()).isEqualTo("B-\ud834\udd1e");
    // The untyped view of the same data.
    assertThat(((Map<?, ?>) m.data()).get("at")).isEqualTo("2025-01-31T12:00:03.412Z");
  }

  @Test
  void scalarsAndGenericTypes() {
    assertThat(message("\"6f1c0e2a-9b1d-4c1e-8d2f-0a1b2c3d4e5f\"").as(UUID.class))
        .isEqualTo(UUID.fromString("6f1c0e2a-9b1d-4c1e-8d2f-0a1b2c3d4e5f"));
    assertThat(message("\"2025-01-31T12:00:03Z\"").as(Instant.class)).isEqualTo(Instant.parse("2025-01-31T12:00:03Z"));
    assertThat(message("\"SHIPPED\"").as(Status.class)).isEqualTo(Status.SHIPPED);
    assertThat(message("null").as(Named.class)).isNull();
    List<Line> lines = message("[{\"sku\":\"a\",\"qty\":1,\"price\":2.5}]").as(new TypeRef<List<Line>>() { });
    assertThat(lines).singleElement().extracting(Line::qty).isEqualTo(1);
    assertThat(lines.get(0)).isInstanceOf(Line.class);
  }

  @Test
  void unknownPropertiesAreIgnoredAndMissingOnesLeftEmpty() {
    assertThat(message("{\"name\":\"ann\",\"age\":3}").as(Named.class)).isEqualTo(new Named("ann"));
    assertThat(message("{}").as(Named.class)).isEqualTo(new Named(null));
  }

  @Test
  void dataThatDoesNotFitIsRefusedNamingTheTypeAndWhere() {
    assertThatThrownBy(() -> message("{\"id\":\"not-a-uuid\"}").as(Order.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("message data does not fit " + Order.class.getName() + ": ")
        .hasMessageContaining("$.id").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> message("{\"lines\":[{\"qty\":\"many\"}]}").as(Order.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.lines[0].qty");
    assertThatThrownBy(() -> message("[1,2]").as(Named.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Named.class.getName());
    assertThatThrownBy(() -> message("{\"at\":\"yesterday\"}").as(Order.class)).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> message("\"LOST\"").as(Status.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LOST");
    assertThatThrownBy(() -> message("{\"n\":-1}").as(Positive.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n must be positive");
    assertThatThrownBy(() -> message("{\"a\":1}").as(new TypeRef<List<Line>>() { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("message data does not fit java.util.List<" + Line.class.getName() + ">");
  }

  @Test
  void typeRefNeedsItsTypeArgument() {
    @SuppressWarnings("rawtypes")
    class Raw extends TypeRef {
    }
    assertThatThrownBy(Raw::new).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void publishedAt() {
    assertThat(message("1").publishedAt()).isNull();
    Message stamped = new MessageImpl("t", null, "1", null, 1_738_324_803_412L);
    assertThat(stamped.publishedAt()).isEqualTo(Instant.parse("2025-01-31T12:00:03.412Z"));
    assertThat(stamped.toString()).contains("publishedAt=2025-01-31T12:00:03.412Z");
  }
}
