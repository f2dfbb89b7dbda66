package dev.switchboard.broker.testing;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** SDK clients for tests; each records its connection events; all are closed together. */
public final class Clients implements AutoCloseable {
  private final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();

  /** A recorded client. */
  public static final class Recorded {
    public final SwitchboardClient client;
    public final List<ConnectionEvent> events;

    Recorded(SwitchboardClient client, List<ConnectionEvent> events) {
      this.client = client;
      this.events = events;
    }

    public long count(ConnectionState type) {
      return events.stream().filter(e -> e.type() == type).count();
    }

    public void awaitEvent(ConnectionState type, int count) {
      await().atMost(Duration.ofSeconds(60)).until(() -> count(type) >= count);
    }
  }

  public Recorded connect(String... urls) {
    return connect(b -> { }, urls);
  }

  public Recorded connect(Consumer<ClientOptions.Builder> tune, String... urls) {
    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    ClientOptions.Builder builder = ClientOptions.builder().servers(urls)
        .reconnectDelayMin(Duration.ofMillis(50)).reconnectDelayMax(Duration.ofMillis(500))
        .connectionListener(events::add);
    tune.accept(builder);
    SwitchboardClient client = Switchboard.connect(builder.build());
    clients.add(client);
    Recorded recorded = new Recorded(client, events);
    recorded.awaitEvent(ConnectionState.CONNECTED, 1);
    return recorded;
  }

  public static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("operation failed", e);
    }
  }

  @Override
  public void close() {
    List<Throwable> failures = new ArrayList<>();
    for (SwitchboardClient client : clients) {
      try {
        client.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("closing clients failed: " + failures);
    }
  }
}
