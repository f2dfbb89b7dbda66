package dev.switchboard.broker.auth;

import org.junit.jupiter.api.Test;

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
}
