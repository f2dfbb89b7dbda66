package dev.switchboard.bench.fanout;

import dev.switchboard.bench.Machine;

import java.util.List;
import java.util.Map;

/**
 * Everything a fanout, topics or cross benchmark found: the settings, the machine, every run with its steps, the
 * medians per target, and the first target's median delivered rate as a fraction of the second's ({@code ratio},
 * named by {@code ratioLabel}, e.g. broker/ceiling or split/single; NaN and null unless two were measured).
 */
public record FanoutReport(String command, Map<String, Object> settings, Machine machine, List<RunResult> runs,
                           List<Summary> summaries, String ratioLabel, double ratio) {
}
