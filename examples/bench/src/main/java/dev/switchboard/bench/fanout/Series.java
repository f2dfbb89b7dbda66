package dev.switchboard.bench.fanout;

import dev.switchboard.bench.BenchOptions;
import dev.switchboard.bench.Target;
import dev.switchboard.bench.node.Endpoint;
import dev.switchboard.bench.node.Nodes;
import dev.switchboard.bench.node.Servers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One thing a scenario measures in every run: its label in the report, the protocol its servers speak, how to get
 * the servers of a run, and where the connections go on them. With two series, the report gives the first's
 * delivered rate as a fraction of the second's (broker/ceiling, cross/single, split/single).
 */
record Series(String label, Target target, IntFunction<Nodes> servers, Function<Nodes, Layout> layout) {

  static List<Series> of(BenchOptions o) {
    switch (o.scenario) {
      case "topics":
        return List.of(single(o, "broker"));
      case "cross":
        return cross(o);
      default:
        return o.targets().stream().map(t -> t == Target.BROKER ? single(o, "broker") : ceiling(o)).toList();
    }
  }

  /** Everything on the node of {@code --url}, or on one node started for the run. */
  private static Series single(BenchOptions o, String label) {
    Layout.Churn churn = o.churn > 0 ? new Layout.Churn(o.churners, o.churn, o.churnTopicNames()) : null;
    return new Series(label, Target.BROKER, run -> Nodes.of(Servers.broker(o, run)),
        nodes -> Layout.single(nodes.url(0), o.topicNames(), churn));
  }

  private static Series ceiling(BenchOptions o) {
    return new Series("ceiling", Target.CEILING, run -> Nodes.of(Servers.ceiling(o)),
        nodes -> Layout.single(nodes.url(0), o.topicNames(), null));
  }

  /**
   * The publishers on node 1 ({@code --publish-url}), the subscribers on node 2 ({@code --url}), or with
   * {@code --split} half on each; with {@code --compare} also everything on one node.
   */
  private static List<Series> cross(BenchOptions o) {
    List<Series> list = new ArrayList<>();
    list.add(new Series(o.split ? "split" : "cross", Target.BROKER,
        run -> o.startNode ? Servers.cluster(o, run, 2)
            : Nodes.of(Endpoint.external(o.publishUrl, 0), Endpoint.external(o.url, o.serverPid)),
        nodes -> new Layout(o.topicNames(), o.split ? List.of(nodes.url(0), nodes.url(1)) : List.of(nodes.url(1)),
            nodes.url(0), null)));
    if (o.compare) {
      list.add(single(o, "single"));
    }
    return list;
  }
}
