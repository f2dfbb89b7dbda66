package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Machine;

import java.util.List;
import java.util.Map;

/**
 * Everything a fan-out benchmark found: the settings, the machine, every run with its steps, the medians per target,
 * and the node's delivered rate as a fraction of the ceiling's ({@code ratio}, NaN unless both were measured).
 */
public record FanoutReport(String command, Map<String, Object> settings, Machine machine, List<RunResult> runs,
                           List<Summary> summaries, double ratio) {
}
