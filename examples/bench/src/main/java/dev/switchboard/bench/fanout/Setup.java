package dev.switchboard.bench.fanout;

/**
 * How a run's connections were set up (the first time, if they had to be set up again): {@code subscribeSeconds}
 * from the first connection attempt until every subscriber was subscribed and every other connection open, which is
 * the cost of registering {@code topics} topics with {@code subscribers} subscriptions in the cluster; then
 * {@code readySeconds} more until every subscriber had received a probe message from the publishers' node (see
 * {@link Readiness}).
 */
public record Setup(int subscribers, int topics, double subscribeSeconds, double topicsPerSec,
                    double subscriptionsPerSec, double readySeconds) {

  static Setup of(int subscribers, int topics, double subscribeSeconds, double readySeconds) {
    return new Setup(subscribers, topics, subscribeSeconds, topics / subscribeSeconds,
        subscribers / subscribeSeconds, readySeconds);
  }
}
