package dev.switchboard.bench.fanout;

/**
 * The churn of one step: pairs asked for a second, pairs started and completed (subscribed, then unsubscribed),
 * completed pairs a second over the step, and each pair's time from when it was due to its {@code unsubscribed}, in
 * milliseconds (a pair that waited for a free connection counts its wait).
 */
public record ChurnResult(double askedPerSec, long started, long completed, long failed, double perSec,
                          double p50Ms, double p99Ms, double maxMs) {
}
