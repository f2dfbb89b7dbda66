package dev.switchboard.examples;

import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
    long count;
    try {
      count = Long.parseLong(args.option("count", "-1"));
    } catch (NumberFormatException e) {
      throw Args.fail(USAGE);
    }
    String topic = "ticker." + symbol;
    BigDecimal price = BigDecimal.valueOf(100);
    try (SwitchboardClient client = connect(args)) {
      long next = System.nanoTime();
      for (long seq = 1; count < 0 || seq <= count; seq++) {
        BigDecimal step = BigDecimal.valueOf(ThreadLocalRandom.current().nextGaussian() * 0.5);
        price = price.add(step).max(BigDecimal.ONE).setScale(2, RoundingMode.HALF_EVEN);
        System.out.println(topic + " " + price);
        client.publish(topic, new Tick(symbol, price, seq));
        next += TimeUnit.SECONDS.toNanos(1);
        if (count < 0 || seq < count) {
          TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
        }
      }
      // Every publish answered, then closed: without it the JVM could exit with the last ones unsent.
      client.drain(Duration.ofSeconds(30)).toCompletableFuture().get();
    }
  }

  /** Prints every price published on {@code ticker.>} until stopped. */
  private static void watch(Args args) throws Exception {
    SwitchboardClient client = connect(args);
    client.subscribe("ticker.>", Ticker::print).toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("* watching ticker.>");
    Thread.currentThread().join(); // until stopped with Ctrl-C
  }

  /** One price, sent as JSON {@code {"symbol":"ACME","price":101.25,"seq":3}}. */
  public record Tick(String symbol, BigDecimal price, long seq) {
  }

  /** Prints a tick; a message that is not one (someone else's data on ticker.>) is skipped. */
  private static void print(Message message) {
    Tick tick;
    try {
      tick = message.as(Tick.class);
    } catch (IllegalArgumentException e) {
      return;
    }
    if (tick.symbol() != null && tick.price() != null) {
      System.out.println(tick.symbol() + " " + tick.price().setScale(2, RoundingMode.HALF_EVEN).toPlainString());
    }
  }

  private static SwitchboardClient connect(Args args) {
    return args.connect(e -> System.out.println("* " + e.type().name().toLowerCase()
        + (e.nodeId() == null ? "" : " node " + e.nodeId())), USAGE);
  }
}
