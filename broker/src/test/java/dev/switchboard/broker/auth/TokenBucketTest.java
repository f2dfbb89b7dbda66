package dev.switchboard.broker.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenTheRate() {
    TokenBucket bucket = TokenBucket.perSecond(10, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(bucket.tryTake(0)).isTrue();
    }
    assertThat(bucket.tryTake(0)).isFalse();
    assertThat(bucket.tryTake(SECOND / 20)).isFalse();
    assertThat(bucket.tryTake(SECOND / 10)).isTrue();
    assertThat(bucket.tryTake(SECOND / 10)).isFalse();
    // A long pause saves up no more than the burst.
    long later = 100 * SECOND;
    int taken = 0;
    while (bucket.tryTake(later)) {
      taken++;
    }
    assertThat(taken).isEqualTo(10);
  }

  @Test
  void zeroIsUnlimitedAndGiveBackRefunds() {
    TokenBucket unlimited = TokenBucket.perSecond(0, 0);
    for (int i = 0; i < 100_000; i++) {
      assertThat(unlimited.tryTake(0)).isTrue();
    }
    TokenBucket one = TokenBucket.perSecond(1, 0);
    assertThat(one.tryTake(0)).isTrue();
    assertThat(one.tryTake(0)).isFalse();
    one.giveBack();
    assertThat(one.tryTake(0)).isTrue();
  }

  @Test
  void userConnectionsAreCountedAndForgotten() {
    UserConnections users = new UserConnections(2, 5);
    assertThat(users.open("alice")).isTrue();
    assertThat(users.open("alice")).isTrue();
    assertThat(users.open("alice")).isFalse();
    assertThat(users.open("bob")).isTrue();
    assertThat(users.connections("alice")).isEqualTo(2);
    TokenBucket shared = users.publishes("alice");
    assertThat(users.publishes("alice")).isSameAs(shared);
    users.close("alice");
    assertThat(users.open("alice")).isTrue();
    users.close("alice");
    users.close("alice");
    assertThat(users.connections("alice")).isZero();
    assertThat(users.publishes("alice")).isNotSameAs(shared);
  }
}
