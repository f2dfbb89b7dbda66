package dev.switchboard.bench.fleet;

import dev.switchboard.bench.Machine;

import java.util.List;
import java.util.Map;

/** Everything one fleet run found: settings, machine, connections, deliveries, CPU, each node and each publish. */
public record FleetReport(String command, Map<String, Object> settings, Machine machine, Connections connections,
                          Delivery delivery, Cpu cpu, List<NodeEnd> nodes, List<PublishRow> publishes,
                          List<String> problems) {

  /** Every connection held to the end, every counted delivery made exactly once, every node seeing every member. */
  public boolean passed() {
    return connections.heldAtEnd() == connections.wanted() && delivery.exactlyOnce()
        && nodes.stream().allMatch(n -> n.members() == nodes.size());
  }

  /**
   * {@code wanted} connections; {@code marked}: subscribed (to both topics) when publishing started, the ones every
   * counted publish is expected at; {@code failed}: never subscribed; {@code heldAtEnd}: still open at the end;
   * {@code closes}: connections the node closed (or that dropped) after opening, by close code.
   */
  public record Connections(int wanted, int marked, int failed, double connectSeconds, int heldAtEnd,
                            Map<String, Integer> closes) {
  }

  /**
   * Counted publishes × marked connections ({@code expected}) against first deliveries ({@code made}); missing split
   * by whether the connection was still open at the end; {@code duplicates}: second copies of any publish;
   * {@code late}: counted deliveries to connections that subscribed after publishing started (not expected).
   * Latency in ms from each publish's intended send time to its read by the generator, over counted deliveries.
   */
  public record Delivery(int counted, int publishFailures, long expected, long made, long missingHeld,
                         long missingClosed, long duplicates, long late, long malformed, long errors, double p50Ms,
                         double p90Ms, double p99Ms, double maxMs) {
    public boolean exactlyOnce() {
      return publishFailures == 0 && made == expected && missingHeld + missingClosed == 0 && duplicates == 0
          && malformed == 0;
    }
  }

  /**
   * CPU of all node processes together (all threads, user + system) and of all generators. Idle: over the idle window
   * with every connection held, in cores, and the nodes' rate by slice of it; the same once more after publishing
   * ({@code idleAfter...}), a check that the rate was steady. Window: from half an interval before the first counted
   * publish until the last one was received everywhere (or the wait ran out); {@code nodeDelivered}: message frames the nodes
   * wrote meanwhile (their {@code switchboard_messages_delivered_total}); {@code perDeliveryUs}: (node CPU − idle
   * cores × window) per such frame; {@code perDeliveryUsIdleAfter} the same with the idle rate after publishing;
   * {@code grossPerDeliveryUs} without taking an idle rate off.
   */
  public record Cpu(double idleSeconds, double idleNodeCores, double idleGeneratorCores, List<Double> idleNodeSlices,
                    double idleAfterNodeCores, List<Double> idleAfterNodeSlices, double windowSeconds,
                    double windowNodeCpuSeconds, long nodeDelivered, double perDeliveryUs,
                    double perDeliveryUsIdleAfter, double grossPerDeliveryUs, double windowNodeCores,
                    double windowGeneratorCores) {
    /** Share by which the two idle rates may differ before the CPU per delivery is called uncertain. */
    public static final double STEADY = 0.2;

    /** Whether the idle rates before and after publishing agree within {@link #STEADY}. */
    public boolean idleSteady() {
      return Math.abs(idleNodeCores - idleAfterNodeCores) <= STEADY * Math.max(idleNodeCores, idleAfterNodeCores);
    }
  }

  /** A node at the end of the run, from its {@code /metrics}; -1 where it could not be read. */
  public record NodeEnd(String url, long pid, int members, int connections, long slowConsumerCloses,
                        long heartbeatTimeouts, long delivered, String error) {
  }

  /** One publish: its HTTP answer and how many connections received it. */
  public record PublishRow(int seq, boolean counted, int status, double ackMs, long received, String error) {
  }
}
