package dev.switchboard.bench.fanout;

import java.util.List;

/**
 * One run against one target: how its connections were set up, its steps and the one that counts ({@code best}):
 * the best passing step of a max search (null if none passed), or the one step at a fixed rate.
 */
public record RunResult(String target, int run, Setup setup, List<StepResult> steps, StepResult best) {
}
