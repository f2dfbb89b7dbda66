package dev.switchboard.bench;

import static dev.switchboard.bench.BenchOptions.DEFAULT_CHURNERS;
import static dev.switchboard.bench.BenchOptions.DEFAULT_MAX_STEPS;
import static dev.switchboard.bench.BenchOptions.DEFAULT_NODE_JVM;
import static dev.switchboard.bench.BenchOptions.DEFAULT_PAYLOAD;
import static dev.switchboard.bench.BenchOptions.DEFAULT_PUBLISHERS;
import static dev.switchboard.bench.BenchOptions.DEFAULT_SUBSCRIBERS;

import dev.switchboard.bench.fleet.FleetOptions;

/** The text of {@code --help}: every scenario and flag with its default ({@link BenchOptions} reads them). */
final class Usage {
  static final String TEXT = String.join("\n",
      "Usage: java -jar switchboard-bench.jar fanout|topics|cross|storm|idle|fleet [--flag value ...]",
      "",
      "fanout: S subscribers of one topic, P publishers, publishing at --rate messages/s in total, or --rate max:",
      "the highest rate with nothing lost and p99 under --max-p99 (rate x4 until a step fails, then bisection).",
      "topics: the same over T topics (--topics, default one per subscriber): subscriber i subscribes to",
      "<topic>.<i mod T>, messages go round-robin over the topics, each subscriber is checked against what its",
      "topic got. Also reports the time to subscribe everything (topics/s: registering topics in the cluster);",
      "--churn N adds N subscribe+unsubscribe pairs a second by --churners extra connections while publishing.",
      "Broker only (the ceiling server has no topics).",
      "cross: the publishers on one node (--publish-url), the subscribers on another (--url), or two clustered nodes",
      "started here (--start-node); measuring starts once a probe published on the one reached every subscriber on",
      "the other. --split: half the subscribers on each node. --compare: the same load on one node too, and the",
      "ratio (the goal: split over two nodes delivers at least 0.90 of one node's rate; use --rate max).",
      "storm: connect and subscribe --connections clients at --connect-rate; time from intended start to subscribed.",
      "idle: a storm, then the connections held idle for --hold; the server's heap and RSS per connection.",
      "fleet: --nodes K clustered nodes started here and one generator process per node holding --connections / K",
      "connections to it, each subscribed to fleet.all and to fleet.g<i mod --groups>; once all are subscribed, the",
      "nodes' idle CPU over --idle, then --warmup uncounted and --publishes counted publishes to fleet.all (HTTP",
      "publish on node 1), one every --interval. Reports connections held, every counted delivery made exactly once",
      "or not, latency from the intended send to the read, the nodes' CPU per delivery (idle rate taken off), the",
      "idle cost in cores, closes by code (clients' view and the nodes' /metrics) and the members each node sees.",
      "Nodes and generators share every CPU unless --node-cpus or --load-cpus is given.",
      "",
      "  --subscribers N      subscribing connections (default " + DEFAULT_SUBSCRIBERS + ")",
      "  --publishers N       publishing connections (default " + DEFAULT_PUBLISHERS + ")",
      "  --rate max|N         messages published per second, all publishers together (default max)",
      "  --payload BYTES      size of each message's data string, at least 48 (default " + DEFAULT_PAYLOAD + ")",
      "  --duration T         publishing time of each step: 10s, 500ms, 2m (default 5s)",
      "  --settle T           publishing at the start of each step whose latency is not recorded (default 2s);",
      "                       fleet: pause after the last subscription before the idle window (default "
          + FleetOptions.DEFAULT_SETTLE.toSeconds() + "s)",
      "  --warmup T           an unreported step (at the rate, or twice the start rate for max), 0: none (default 5s);",
      "                       fleet: a number, the uncounted publishes first (default " + FleetOptions.DEFAULT_WARMUP
          + ")",
      "  --target T           fanout, storm, idle: broker, ceiling or both (default both)",
      "  --url URL            a running node, ws://host:port/ws (or use --start-node); cross: the subscribers' node",
      "  --publish-url URL    cross: the publishers' node, clustered with --url",
      "  --start-node         start broker/target/switchboard-broker.jar for each run, pinned to --node-cpus;",
      "                       cross: two clustered nodes (and one more, alone, for --compare)",
      "  --nodes N            cross: nodes to start; 2, the only value (default 2); fleet: nodes and generators"
          + " (default " + FleetOptions.DEFAULT_NODES + ")",
      "  --split              cross: subscribers in two halves, the first on the publishers' node",
      "  --compare            cross: also run the same load with everything on one node; report cross/single",
      "  --topics N           topics: topics, default one per subscriber; cross: topics (default 1);",
      "                       storm, idle: distinct topics, connection i subscribes to topic i mod N (default 1)",
      "  --churn N            topics: subscribe+unsubscribe pairs a second while publishing (default 0: none)",
      "  --churners N         topics: connections churning, one pair at a time each (default " + DEFAULT_CHURNERS + ")",
      "  --churn-topics W     own: each pair on a topic of its own, registered and removed in the cluster every time;",
      "                       shared: on the measured topics, next to their subscribers (default own)",
      "  --broker-jar PATH    the launcher jar for --start-node (default: found next to this jar or in ./broker)",
      "  --ceiling-url URL    a running ceiling server (default: started for each run, pinned to --node-cpus)",
      "  --ceiling-write W    frames: a Netty frame per connection, header encoded each time (default);",
      "                       bytes: the whole frame encoded once and written as bytes;",
      "                       batch: bytes, and a turn's frames written as one buffer per connection",
      "  --server-pid PID     pid of the node given by --url, to report its CPU use",
      "  --instances N        event loops of the servers started here (default 1; fleet: 0, the launcher's default)",
      "  --transport T        network transport of the servers started here: auto (epoll where it loads), nio or",
      "                       epoll; the same for the node and the ceiling (default auto: the node's own default)",
      "  --node-jvm 'OPTS'    JVM options of the servers started here (default '" + DEFAULT_NODE_JVM + "';",
      "                       fleet: '" + FleetOptions.DEFAULT_NODE_JVM + "')",
      "  --connections N      storm, idle, fleet: connections (default 10000; fleet: "
          + FleetOptions.DEFAULT_CONNECTIONS + ")",
      "  --connect-rate N     storm, idle, fleet: new connections a second in all, 0 = as fast as they go (default 0)",
      "  --groups N           fleet: group topics, connection i on fleet.g<i mod N> (default "
          + FleetOptions.DEFAULT_GROUPS + ")",
      "  --publishes N        fleet: counted publishes (default " + FleetOptions.DEFAULT_PUBLISHES + ")",
      "  --interval T         fleet: time between publishes (default " + FleetOptions.DEFAULT_INTERVAL.toSeconds()
          + "s)",
      "  --idle T             fleet: window measuring the nodes' CPU with every connection held idle, before and",
      "                       after publishing (default " + FleetOptions.DEFAULT_IDLE.toSeconds()
          + "s, one heartbeat interval)",
      "  --max-wait T         fleet: how long after the last publish to wait for its deliveries (default "
          + FleetOptions.DEFAULT_MAX_WAIT.toSeconds() + "s)",
      "  --generator-jvm 'O'  fleet: JVM options of the generator processes (default '"
          + FleetOptions.DEFAULT_GENERATOR_JVM + "')",
      "  --hold T             idle: how long the connections stay idle before memory is measured (default 30s)",
      "  --runs N             repetitions; the report gives medians (default 1)",
      "  --out DIR            where the JSON result and the HTML chart go (default results)",
      "  --max-p99 T          latency limit of a passing step (default 100ms)",
      "  --start-rate N       first rate of the max search (default 20,000 deliveries/s worth)",
      "  --max-steps N        steps of the max search at most (default " + DEFAULT_MAX_STEPS + ")",
      "  --node-cpus LIST     CPUs for the servers started here (default 0)",
      "  --second-node-cpus L cross: CPUs for the second node started here (default: --node-cpus)",
      "  --load-cpus LIST     CPUs for this load generator; it re-runs itself under taskset (default 1)",
      "  --no-pin             no taskset for anything",
      "  --per-address N      connections per loopback source address past which 127.0.0.2, ... are used (default 25000;",
      "                       fleet: " + FleetOptions.DEFAULT_PER_ADDRESS + ", so that binding each one's port stays quick)",
      "  --topic NAME         the topic, or the prefix of the topics (default bench.<scenario>)",
      "");

  private Usage() {
  }
}
