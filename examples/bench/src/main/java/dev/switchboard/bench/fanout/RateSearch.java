package dev.switchboard.bench.fanout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The search for the highest passing rate: from the first rate up by {@link #FACTOR} until a step fails, then
 * bisection (geometric) between the best passing and the lowest failing rate until they are within
 * {@link #PRECISION} of each other. If the first rate fails it goes down instead, {@link #MAX_DOWN} times at most.
 * Near saturation one step can fail where the next at the same rate passes (the server's batching settles
 * differently), so a narrow failure (nothing lost, p99 under twice the limit) is run once more and the second verdict
 * counts. Bounded by {@code maxSteps} steps.
 */
final class RateSearch {
  static final double FACTOR = 4;
  static final double PRECISION = 1.1;
  static final int MAX_DOWN = 3;

  /** Runs one step at a rate; {@code stepNumber} counts from 1. */
  interface Trial {
    StepResult run(double rate, int stepNumber);
  }

  private RateSearch() {
  }

  /** {@code maxP99Ms}: the latency limit of a passing step, to tell a narrow failure. */
  static List<StepResult> find(double firstRate, int maxSteps, double maxP99Ms, Trial trial) {
    List<StepResult> steps = new ArrayList<>();
    double passing = 0;
    double failing = Double.POSITIVE_INFINITY;
    double rate = firstRate;
    int down = 0;
    while (steps.size() < maxSteps) {
      StepResult result = trial.run(rate, steps.size() + 1);
      steps.add(result);
      if (narrow(result, maxP99Ms) && steps.size() < maxSteps) {
        result = trial.run(rate, steps.size() + 1);
        steps.add(result);
      }
      if (result.passed()) {
        passing = Math.max(passing, rate);
      } else {
        failing = Math.min(failing, rate);
      }
      if (passing == 0) {
        if (++down > MAX_DOWN) {
          break;
        }
        rate = failing / FACTOR;
      } else if (failing == Double.POSITIVE_INFINITY) {
        rate = passing * FACTOR;
      } else if (failing / passing <= PRECISION) {
        break;
      } else {
        rate = Math.sqrt(passing * failing);
      }
    }
    return steps;
  }

  static boolean narrow(StepResult r, double maxP99Ms) {
    return !r.passed() && r.lost() == 0 && r.problems() == 0 && r.p99Ms() < 2 * maxP99Ms;
  }

  /** The passing step that delivered the most, or null if none passed. */
  static StepResult best(List<StepResult> steps) {
    return steps.stream().filter(StepResult::passed).max(Comparator.comparingDouble(StepResult::deliveredPerSec))
        .orElse(null);
  }
}
