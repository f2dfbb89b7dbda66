package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchException;
import dev.switchboard.bench.Limits;
import dev.switchboard.bench.ws.Connector;
import dev.switchboard.bench.ws.SourceAddresses;
import dev.switchboard.bench.ws.WsEngine;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hidden subcommand {@code fleet-generator}: one load generator of the fleet scenario, started by the controller
 * ({@link Generators}), holding its connections to one node ({@link GeneratorPlan}). It speaks to the controller in
 * lines: JSON objects on stdout ({@code status} every {@code statusMs}, {@code marked}, {@code report}, {@code fatal}),
 * commands on stdin ({@code mark}, {@code report}, {@code stop}). It exits on {@code stop}, when stdin ends (the
 * controller is gone), or when its lifetime is over (a status interrupted by the stop is not a failure).
 */
public final class FleetGenerator {
  static final int MAX_PENDING_HANDSHAKES = 1000;
  private static final long ANSWER_SECONDS = 30;

  private FleetGenerator() {
  }

  /** Runs the generator; returns the exit code. */
  public static int run(String[] args) {
    GeneratorPlan plan;
    SourceAddresses sources;
    InetSocketAddress remote;
    try {
      plan = GeneratorPlan.parse(args);
      URI url = URI.create(plan.url());
      remote = new InetSocketAddress(url.getHost(), url.getPort());
      sources = SourceAddresses.plan(plan.count(), plan.perAddress(), remote.getAddress(), plan.firstAddress());
      Limits.requireFiles(plan.count());
    } catch (IllegalArgumentException | BenchException e) {
      emit(fatal(e.getMessage()));
      return 2;
    }
    String path = URI.create(plan.url()).getRawPath();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fleet-status");
      t.setDaemon(true);
      return t;
    });
    try (WsEngine engine = WsEngine.start("fleet-generator")) {
      FleetTally tally = new FleetTally(plan);
      answer(engine.call(() -> {
        new Connector(engine, plan.count(), plan.connectRate(), MAX_PENDING_HANDSHAKES,
            i -> engine.connect(remote, path, sources.forConnection(i), new FleetClient(tally, i)),
            tally::settled).start();
        return null;
      }));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.lifetimeMs());
      ticker.scheduleAtFixedRate(() -> status(engine, tally, deadline), 0, plan.statusMs(), TimeUnit.MILLISECONDS);
      return commands(engine, tally);
    } catch (BenchException e) {
      emit(fatal(e.getMessage()));
      return 1;
    } finally {
      ticker.shutdownNow();
    }
  }

  private static void status(WsEngine engine, FleetTally tally, long deadline) {
    if (System.nanoTime() > deadline) {
      emit(fatal("lifetime over: the controller never said stop; exiting"));
      Runtime.getRuntime().halt(3);
    }
    try {
      emit(answer(engine.call(tally::status)));
    } catch (RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        emit(fatal("no status: " + e));
      }
    }
  }

  /** Reads commands until {@code stop} or the end of stdin. */
  private static int commands(WsEngine engine, FleetTally tally) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        switch (line.trim()) {
          case "mark" -> emit(answer(engine.call(tally::mark)));
          case "report" -> emit(answer(engine.call(tally::report)));
          case "stop" -> {
            return 0;
          }
          default -> emit(fatal("unknown command '" + line + "'"));
        }
      }
      return 0;
    } catch (IOException e) {
      emit(fatal("stdin: " + e.getMessage()));
      return 1;
    }
  }

  private static JsonObject fatal(String message) {
    return new JsonObject().put("type", "fatal").put("message", message);
  }

  private static void emit(JsonObject line) {
    synchronized (System.out) {
      System.out.println(line.encode());
      System.out.flush();
    }
  }

  private static <T> T answer(CompletableFuture<T> future) {
    try {
      return future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted", e);
    } catch (ExecutionException e) {
      throw new BenchException("generator failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchException("the generator's engine did not answer within " + ANSWER_SECONDS + " s");
    }
  }
}
