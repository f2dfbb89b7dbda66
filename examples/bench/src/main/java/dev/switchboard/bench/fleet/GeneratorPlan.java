package dev.switchboard.bench.fleet;

import dev.switchboard.bench.BenchArgs;

import java.util.ArrayList;
import java.util.List;

/**
 * What one generator process does, passed on its command line ({@code fleet-generator --url ... --first ...}):
 * {@code count} connections to the node at {@code url}, numbered {@code first ..} across the fleet (connection i
 * subscribes to {@code fleet.g<i mod groups>}), publishes {@code 0 .. total - 1} of which the first {@code warmup}
 * are not counted, source addresses from 127.0.0.{@code firstAddress} if it needs several, a status line every
 * {@code statusMs}, and an exit after {@code lifetimeMs} whatever happens.
 */
record GeneratorPlan(String url, int first, int count, int groups, int total, int warmup, double connectRate,
                     int perAddress, int firstAddress, long statusMs, long lifetimeMs) {

  /** The generator's arguments after {@code fleet-generator}. */
  List<String> args() {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--url", url, "--first", String.valueOf(first), "--count", String.valueOf(count)));
    a.addAll(List.of("--groups", String.valueOf(groups), "--total", String.valueOf(total)));
    a.addAll(List.of("--warmup", String.valueOf(warmup), "--connect-rate", String.valueOf(connectRate)));
    a.addAll(List.of("--per-address", String.valueOf(perAddress), "--first-address", String.valueOf(firstAddress)));
    a.addAll(List.of("--status-ms", String.valueOf(statusMs), "--lifetime-ms", String.valueOf(lifetimeMs)));
    return a;
  }

  static GeneratorPlan parse(String[] args) {
    BenchArgs a = BenchArgs.parse(args);
    GeneratorPlan plan = new GeneratorPlan(a.string("url", null), a.integer("first", 0), a.integer("count", 0),
        a.integer("groups", 1), a.integer("total", 0), a.integer("warmup", 0), a.number("connect-rate", 0),
        a.integer("per-address", 25_000), a.integer("first-address", 1), a.integer("status-ms", 500),
        Long.parseLong(a.string("lifetime-ms", "3600000")));
    a.rejectUnknown();
    if (plan.url == null || plan.count < 1 || plan.groups < 1 || plan.total < 1 || plan.warmup >= plan.total) {
      throw new IllegalArgumentException("fleet-generator: needs --url, --count, --groups and --total above --warmup"
          + " (it is started by the fleet scenario)");
    }
    return plan;
  }
}
