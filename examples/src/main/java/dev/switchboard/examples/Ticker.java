package dev.switchboard.examples;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Message;
import dev.switchboard.client.Switchboard;
import dev.switchboard.client.SwitchboardClient;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prices on {@code ticker.<symbol>}: {@code publish} sends a random walk once a second, {@code watch} prints every
 * price of every symbol (a subscription on the pattern {@code ticker.>}).
 *
 * <pre>
 * java dev.switchboard.examples.Ticker publish &lt;SYMBOL&gt; [--count N] [--server ws://127.0.0.1:8080/ws ...]
 * java dev.switchboard.examples.Ticker watch [--server ws://127.0.0.1:8080/ws ...]
 * </pre>
 */
public final class Ticker {
  private static final String USAGE = "usage: Ticker publish <SYMBOL> [--count N] [--server URL ...]\n"
      + "       Ticker watch [--server URL ...]";

  private Ticker() {
  }

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args, USAGE, "server", "count");
    String mode = parsed.positional().isEmpty() ? "" : parsed.positional().get(0);
    if (mode.equals("publish") && parsed.positional().size() == 2) {
      publish(parsed, parsed.positional().get(1));
    } else if (mode.equals("watch") && parsed.positional().size() == 1) {
      watch(parsed);
    } else {
      throw Args.fail(USAGE);
    }
  }

  /** Publishes {@code --count} prices (default: until stopped), one a second. */
  private static void publish(Args args, String symbol) throws Exception {
    long count = Long.parseLong(args.option("count", "-1"));
    String topic = "ticker." + symbol;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<CompletableFuture<Void>> last = new AtomicReference<>(CompletableFuture.completedFuture(null));
    try (SwitchboardClient client = connect(args)) {
      BigDecimal[] price = {BigDecimal.valueOf(100)};
      long[] sent = {0};
      timer.scheduleAtFixedRate(() -> {
        if (count >= 0 && sent[0] >= count) {
          done.countDown();
          return;
        }
        double step = ThreadLocalRandom.current().nextGaussian() * 0.5;
        price[0] = price[0].add(BigDecimal.valueOf(step)).max(BigDecimal.ONE).setScale(2, RoundingMode.HALF_EVEN);
        sent[0]++;
        System.out.println(topic + " " + price[0]);
        last.set(client.publish(topic, Map.of("symbol", symbol, "price", price[0], "seq", sent[0]))
            .toCompletableFuture());
      }, 0, 1, TimeUnit.SECONDS);
      done.await();
      last.get().get(30, TimeUnit.SECONDS);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Prints every price published on {@code ticker.>} until stopped. */
  private static void watch(Args args) throws Exception {
    SwitchboardClient client = connect(args);
    client.subscribe("ticker.>", Ticker::print).toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("* watching ticker.>");
    new CountDownLatch(1).await();
  }

  private static void print(Message message) {
    if (message.data() instanceof Map<?, ?> tick) {
      System.out.println(tick.get("symbol") + " " + tick.get("price"));
    }
  }

  private static SwitchboardClient connect(Args args) {
    Args.quietClientLogs();
    return Switchboard.connect(ClientOptions.builder()
        .servers(args.servers().toArray(String[]::new))
        .connectionListener(e -> System.out.println("* " + e.type().name().toLowerCase()
            + (e.nodeId() == null ? "" : " node " + e.nodeId())))
        .build());
  }
}
