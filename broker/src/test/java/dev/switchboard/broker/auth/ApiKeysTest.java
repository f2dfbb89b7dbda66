package dev.switchboard.broker.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {
  static final String ONE = "one-0123456789abcdef0123456789abcdef";
  static final String TWO = "two-0123456789abcdef0123456789abcdef";

  @Test
  void eitherKeyIsValidAnythingElseWrongAndNoneMissing() {
    ApiKeys keys = new ApiKeys(List.of(ONE, TWO));
    assertThat(keys.check(ONE)).isEqualTo(ApiKeys.Check.VALID);
    assertThat(keys.check(" " + TWO + " ")).isEqualTo(ApiKeys.Check.VALID);
    assertThat(keys.check(ONE.substring(1))).isEqualTo(ApiKeys.Check.WRONG);
    assertThat(keys.check(ONE + "x")).isEqualTo(ApiKeys.Check.WRONG);
    assertThat(keys.check(ONE.toUpperCase())).isEqualTo(ApiKeys.Check.WRONG);
    assertThat(keys.check(null)).isEqualTo(ApiKeys.Check.MISSING);
    assertThat(keys.check("  ")).isEqualTo(ApiKeys.Check.MISSING);
  }

  @Test
  void aReloadTakesTheFilesKeysAndKeepsThoseInUseWhenTheFileWentBad() throws IOException {
    Path file = Files.createTempFile("api-keys", ".txt");
    try {
      Files.writeString(file, ONE + "\n");
      ApiKeys keys = ApiKeys.read(file.toString());
      Files.writeString(file, "# rotated\n" + TWO + "\n");
      keys.reload(file.toString());
      assertThat(keys.check(TWO)).isEqualTo(ApiKeys.Check.VALID);
      assertThat(keys.check(ONE)).isEqualTo(ApiKeys.Check.WRONG);
      for (String bad : List.of("short\n", "# no key\n", "two keys-0123456789abcdef0123456789abcdef\n")) {
        Files.writeString(file, bad);
        keys.reload(file.toString());
        assertThat(keys.check(TWO)).as(bad).isEqualTo(ApiKeys.Check.VALID);
      }
      Files.delete(file);
      keys.reload(file.toString());
      assertThat(keys.check(TWO)).isEqualTo(ApiKeys.Check.VALID);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
