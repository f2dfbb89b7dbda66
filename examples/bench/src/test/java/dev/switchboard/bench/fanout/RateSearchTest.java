package dev.switchboard.bench.fanout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateSearchTest {

  private static StepResult step(double rate, boolean passed) {
    return step(rate, passed, passed ? 10 : 1000);
  }

  private static StepResult step(double rate, boolean passed, double p99) {
    return new StepResult("broker", 1, 1, false, rate, 1, 1, 1, 48, 1, 0, 0, 0, 0, 0, 0, null, rate, rate, 1, 1, p99,
        1, 1, 10, 10, 0, passed, null);
  }

  @Test
  void goesUpUntilAStepFailsThenNarrowsDownToThePrecision() {
    List<StepResult> steps = RateSearch.find(10, 30, 100, (rate, n) -> step(rate, rate <= 1000));
    StepResult best = RateSearch.best(steps);
    assertThat(best.offeredRate()).isBetween(1000 / RateSearch.PRECISION, 1000.0);
    assertThat(steps).extracting(StepResult::offeredRate).startsWith(10.0, 40.0, 160.0, 640.0, 2560.0);
    assertThat(steps.size()).isLessThan(12);
  }

  @Test
  void goesDownWhenTheFirstStepFailsAndStopsIfNothingPasses() {
    List<StepResult> steps = RateSearch.find(100, 30, 100, (rate, n) -> step(rate, false));
    assertThat(steps).hasSize(RateSearch.MAX_DOWN + 1);
    assertThat(RateSearch.best(steps)).isNull();
  }

  @Test
  void aNarrowFailureIsRunAgainAndTheSecondVerdictCounts() {
    boolean[] first = {true};
    List<StepResult> steps = RateSearch.find(10, 30, 100, (rate, n) -> {
      if (rate == 40 && first[0]) {
        first[0] = false;
        return step(rate, false, 150);
      }
      return step(rate, rate <= 100);
    });
    assertThat(steps).extracting(StepResult::offeredRate).startsWith(10.0, 40.0, 40.0, 160.0);
    assertThat(RateSearch.best(steps).offeredRate()).isGreaterThan(90);
  }

  @Test
  void neverRunsMoreThanTheStepsAllowed() {
    assertThat(RateSearch.find(1, 3, 100, (rate, n) -> step(rate, true))).hasSize(3);
  }
}
