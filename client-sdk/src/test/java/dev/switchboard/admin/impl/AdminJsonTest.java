package dev.switchboard.admin.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.admin.AdminException;
import dev.switchboard.admin.AdminPage;
import dev.switchboard.admin.HistoryItem;
import dev.switchboard.client.Position;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The admin client's reading of answers: the server API's shapes, its errors, and what is not one of them. */
class AdminJsonTest {

  @Test
  void historyKeepsTheDataAsTheSameJsonValue() {
    AdminPage<HistoryItem> page = AdminJson.history(AdminJson.answer(200, "{\"topic\":\"t\",\"epoch\":\"e\","
        + "\"messages\":[{\"position\":{\"epoch\":\"e\",\"offset\":4},"
        + "\"data\":{\"n\":1.50,\"big\":12345678901234567890},\"published_at\":1700000000123},"
        + "{\"position\":{\"epoch\":\"e\",\"offset\":3},\"data\":null}],\"next\":\"3\"}"));
    assertThat(page.items()).hasSize(2);
    assertThat(page.items().get(0).position()).isEqualTo(new Position("e", 4));
    assertThat(page.items().get(0).data().text()).isEqualTo("{\"n\":1.50,\"big\":12345678901234567890}");
    assertThat(page.items().get(0).publishedAt()).isEqualTo(Instant.ofEpochMilli(1700000000123L));
    assertThat(page.items().get(1).data().text()).isEqualTo("null");
    assertThat(page.items().get(1).publishedAt()).isNull();
    assertThat(page.next()).isEqualTo("3");
    assertThat(page.hasNext()).isTrue();
  }

  @Test
  void anErrorAnswerIsAnAdminExceptionWithItsStatusAndCode() {
    assertThatThrownBy(() -> AdminJson.answer(403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}"))
        .isInstanceOfSatisfying(AdminException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.code()).isEqualTo("forbidden");
          assertThat(e.errorCode()).isEqualTo(dev.switchboard.protocol.ErrorCode.FORBIDDEN);
          assertThat(e.getMessage()).isEqualTo("no");
        });
  }

  @Test
  void anythingElseIsAnUnexpectedAnswer() {
    assertThatThrownBy(() -> AdminJson.answer(502, "<html>bad gateway</html>"))
        .isInstanceOfSatisfying(AdminException.class, e -> {
          assertThat(e.status()).isEqualTo(502);
          assertThat(e.code()).isEqualTo(AdminException.UNEXPECTED_ANSWER);
          assertThat(e.getMessage()).contains("bad gateway");
        });
    assertThatThrownBy(() -> AdminJson.published(AdminJson.answer(200, "{\"position\":null}")))
        .isInstanceOfSatisfying(AdminException.class, e -> assertThat(e.code())
            .isEqualTo(AdminException.UNEXPECTED_ANSWER));
    assertThatThrownBy(() -> AdminJson.answer(200, "[]")).isInstanceOf(AdminException.class);
  }

  @Test
  void requestBodiesAreOneObject() {
    assertThat(AdminJson.object(g -> {
      g.writeStringField("user", "a\"b");
      g.writeNumberField("code", 4501);
    })).isEqualTo("{\"user\":\"a\\\"b\",\"code\":4501}");
  }
}
