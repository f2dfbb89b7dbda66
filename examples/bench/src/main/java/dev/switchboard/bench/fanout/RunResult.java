package dev.switchboard.bench.fanout;

import java.util.List;

/**
 * One run against one target: its steps and the one that counts ({@code best}): the best passing step of a max
 * search (null if none passed), or the one step at a fixed rate.
 */
public record RunResult(String target, int run, List<StepResult> steps, StepResult best) {
}
