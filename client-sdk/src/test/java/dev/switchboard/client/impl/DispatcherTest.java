package dev.switchboard.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  @Test
  void runsTasksOneAtATimeInOrderOnAPool() {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Dispatcher dispatcher = Dispatcher.create(pool, "unused");
      List<Integer> seen = new CopyOnWriteArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        dispatcher.execute(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          try {
            if (n % 100 == 0) {
              throw new IllegalStateException("expected by the test");
            }
            seen.add(n);
          } finally {
            running.decrementAndGet();
          }
        });
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1980);
      assertThat(overlaps).hasValue(0);
      for (int i = 1; i < seen.size(); i++) {
        assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void defaultsToOwnDaemonThread() {
    Dispatcher dispatcher = Dispatcher.create(null, "switchboard-dispatch-test");
    List<Thread> threads = new CopyOnWriteArrayList<>();
    dispatcher.execute(() -> threads.add(Thread.currentThread()));
    await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
    assertThat(threads.get(0).getName()).isEqualTo("switchboard-dispatch-test");
    assertThat(threads.get(0).isDaemon()).isTrue();
    dispatcher.shutdown();
    await().atMost(Duration.ofSeconds(5)).until(() -> !threads.get(0).isAlive());
  }
}
