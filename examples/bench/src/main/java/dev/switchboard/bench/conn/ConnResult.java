package dev.switchboard.bench.conn;

/**
 * One run of a connection scenario against one target. Times in milliseconds from each connection's intended start
 * (spread at the connect rate) to its handshake ({@code open}) and to its subscription ({@code subscribed});
 * {@code seconds}: until the last one settled. Memory in bytes, -1 when unknown; per connection: (after - before) /
 * subscribed. CPU in percent of one core over the connecting phase.
 */
public record ConnResult(String target, int run, int connections, double connectRate, double seconds,
                         double subscribedPerSec, int subscribed, int failures, String firstFailure, double openP50Ms,
                         double openP99Ms, double subscribedP50Ms, double subscribedP90Ms, double subscribedP99Ms,
                         double subscribedMaxMs, double holdSeconds, int droppedDuringHold, long pings,
                         long rssBefore, long rssAfter, long heapBefore, long heapAfter, double rssPerConnection,
                         double heapPerConnection, double benchCpu, double serverCpu, double otherCpu) {
}
