package dev.switchboard.client.impl;

import static dev.switchboard.client.impl.SubscriptionsTest.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.SwitchboardException;
import dev.switchboard.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublisherTest {
  private final Loop loop = new Loop("test-loop", () -> { });
  private final Publisher publisher = publisher(100, Duration.ofHours(1));

  private Publisher publisher(long capacity, Duration timeout) {
    return new Publisher(capacity, timeout.toNanos(), timeout.toNanos(), loop, Dispatcher.create(Runnable::run, "unused"),
        new Counters());
  }

  @AfterEach
  void stopLoop() {
    loop.shutdown();
  }

  private Publisher.Pending queue(Publisher to, String id, int bytes) {
    assertThat(to.reserve(bytes)).isTrue();
    Publisher.Pending p = new Publisher.Pending(id, "frame " + id, bytes, null);
    to.enqueue(p, true);
    return p;
  }

  @Test
  void theBufferIsCappedInBytes() {
    assertThat(publisher.reserve(60)).isTrue();
    assertThat(publisher.reserve(41)).isFalse();
    assertThat(publisher.reserve(40)).isTrue();
    assertThat(publisher.bufferedBytes()).isEqualTo(100);
    assertThat(publisher.reserve(1)).isFalse();
  }

  @Test
  void writtenPublishesLeaveTheBufferAndWaitForTheirAck() {
    Publisher.Pending a = queue(publisher, "p1", 50);
    Publisher.Pending b = queue(publisher, "p2", 50);
    assertThat(publisher.reserve(1)).isFalse();

    assertThat(publisher.next(Long.MAX_VALUE)).isSameAs(a);
    publisher.written(a);
    assertThat(publisher.bufferedBytes()).isEqualTo(50);
    assertThat(publisher.next(Long.MAX_VALUE)).isSameAs(b);
    assertThat(publisher.next(Long.MAX_VALUE)).isNull();

    assertThat(publisher.acked("p1")).isTrue();
    assertThat(a.future).isCompleted();
    assertThat(publisher.error("p2", "invalid_topic", "no")).isTrue();
    assertThat(code(b.future)).isEqualTo("invalid_topic");
    assertThat(publisher.bufferedBytes()).isZero();
    assertThat(publisher.acked("p1")).isFalse();
  }

  @Test
  void framesOverTheNodeLimitAreNeverSent() {
    Publisher.Pending big = queue(publisher, "p1", 80);
    Publisher.Pending small = queue(publisher, "p2", 10);
    assertThat(publisher.next(50)).isSameAs(small);
    assertThat(code(big.future)).isEqualTo(SwitchboardException.FRAME_TOO_LARGE);
    assertThat(publisher.bufferedBytes()).isEqualTo(10);
  }

  @Test
  void aHistoryPublishThatCouldNotBeStoredFailsWithUnavailable() {
    Publisher.Pending p = queue(publisher, "p1", 10);
    publisher.next(Long.MAX_VALUE);
    assertThat(publisher.error("p1", "unavailable", "not stored in time")).isTrue();
    assertThat(code(p.future)).isEqualTo("unavailable");
    assertThat(p.future).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOf(SwitchboardException.class)
        .matches(e -> ((SwitchboardException) e).errorCode() == ErrorCode.UNAVAILABLE);
  }

  @Test
  void aLostConnectionFailsOnlyWhatWasSent() {
    Publisher.Pending sent = queue(publisher, "p1", 10);
    Publisher.Pending queued = queue(publisher, "p2", 10);
    assertThat(publisher.next(Long.MAX_VALUE)).isSameAs(sent);
    publisher.connectionLost("1006");
    assertThat(code(sent.future)).isEqualTo(SwitchboardException.CONNECTION_LOST);
    assertThat(queued.future).isNotDone();
    assertThat(publisher.next(Long.MAX_VALUE)).isSameAs(queued);
  }

  @Test
  void anUnansweredPublishTimesOutAndLeavesTheQueue() {
    Publisher quick = publisher(100, Duration.ofMillis(50));
    Publisher.Pending[] p = new Publisher.Pending[1];
    loop.execute(() -> p[0] = queue(quick, "p1", 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> p[0] != null && p[0].future.isDone());
    assertThat(code(p[0].future)).isEqualTo(SwitchboardException.TIMEOUT);
    assertThat(quick.bufferedBytes()).isZero();
    CompletableFuture<Publisher.Pending> next = new CompletableFuture<>();
    loop.execute(() -> next.complete(quick.next(Long.MAX_VALUE)));
    assertThat(next).succeedsWithin(Duration.ofSeconds(5)).isNull();
  }

  @Test
  void closingFailsEverythingAndSaysWhatMayHaveArrived() {
    Publisher.Pending sent = queue(publisher, "p1", 10);
    Publisher.Pending queued = queue(publisher, "p2", 10);
    publisher.next(Long.MAX_VALUE);
    publisher.failAll(SwitchboardException.CLOSED, "closed");
    // Written before the close: it may have been published, so it is not reported as "closed" (never sent).
    assertThat(code(sent.future)).isEqualTo(SwitchboardException.CONNECTION_LOST);
    assertThat(code(queued.future)).isEqualTo(SwitchboardException.CLOSED);
    assertThat(publisher.bufferedBytes()).isZero();
    assertThat(publisher.next(Long.MAX_VALUE)).isNull();
  }
}
