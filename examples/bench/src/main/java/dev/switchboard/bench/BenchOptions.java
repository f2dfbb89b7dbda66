package dev.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every setting of a benchmark run, with its default, read from the command line by {@link #parse}; the message of
 * any error names the flag. {@link #HELP} lists them.
 */
public final class BenchOptions {
  public static final int DEFAULT_SUBSCRIBERS = 1000;
  public static final int DEFAULT_PUBLISHERS = 1;
  public static final int DEFAULT_PAYLOAD = 128;
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);
  public static final Duration DEFAULT_MAX_P99 = Duration.ofMillis(100);
  public static final int DEFAULT_MAX_STEPS = 14;
  public static final int DEFAULT_CHURNERS = 10;
  public static final String DEFAULT_NODE_JVM = "-Xms1g -Xmx1g";
  public static final List<String> SCENARIOS = List.of("fanout", "topics", "cross", "storm", "idle");

  public static final String HELP = String.join("\n",
      "Usage: java -jar switchboard-bench.jar fanout|topics|cross|storm|idle [--flag value ...]",
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
      "",
      "  --subscribers N      subscribing connections (default " + DEFAULT_SUBSCRIBERS + ")",
      "  --publishers N       publishing connections (default " + DEFAULT_PUBLISHERS + ")",
      "  --rate max|N         messages published per second, all publishers together (default max)",
      "  --payload BYTES      size of each message's data string, at least 48 (default " + DEFAULT_PAYLOAD + ")",
      "  --duration T         publishing time of each step: 10s, 500ms, 2m (default 5s)",
      "  --settle T           publishing at the start of each step whose latency is not recorded (default 2s)",
      "  --warmup T           an unreported step (at the rate, or twice the start rate for max), 0: none (default 5s)",
      "  --target T           fanout, storm, idle: broker, ceiling or both (default both)",
      "  --url URL            a running node, ws://host:port/ws (or use --start-node); cross: the subscribers' node",
      "  --publish-url URL    cross: the publishers' node, clustered with --url",
      "  --start-node         start broker/target/switchboard-broker.jar for each run, pinned to --node-cpus;",
      "                       cross: two clustered nodes (and one more, alone, for --compare)",
      "  --nodes N            cross: nodes to start; 2, the only value (default 2)",
      "  --split              cross: subscribers in two halves, the first on the publishers' node",
      "  --compare            cross: also run the same load with everything on one node; report cross/single",
      "  --topics N           topics: topics, default one per subscriber; cross: topics (default 1);",
      "                       storm, idle: distinct topics, connection i subscribes to topic i mod N (default 1)",
      "  --churn N            topics: subscribe+unsubscribe pairs a second while publishing (default 0: none)",
      "  --churners N         topics: connections that churn, one pair at a time each (default " + DEFAULT_CHURNERS
          + ")",
      "  --churn-topics W     own: each pair on a topic of its own, registered and removed in the cluster every time;",
      "                       shared: on the measured topics, next to their subscribers (default own)",
      "  --broker-jar PATH    the launcher jar for --start-node (default: found next to this jar or in ./broker)",
      "  --ceiling-url URL    a running ceiling server (default: started for each run, pinned to --node-cpus)",
      "  --ceiling-write W    frames: a Netty frame per connection, header encoded each time (default);",
      "                       bytes: the whole frame encoded once and written as bytes",
      "  --server-pid PID     pid of the node given by --url, to report its CPU use",
      "  --instances N        event loops of the servers started here (default 1)",
      "  --node-jvm 'OPTS'    JVM options of the servers started here (default '" + DEFAULT_NODE_JVM + "')",
      "  --connections N      storm, idle: connections (default 10000)",
      "  --connect-rate N     storm, idle: new connections a second, 0 = as fast as they go (default 0)",
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
      "  --per-address N      connections per loopback source address past which 127.0.0.2, ... are used (default 25000)",
      "  --topic NAME         the topic, or the prefix of the topics (default bench.<scenario>)",
      "");

  public String scenario;
  public int subscribers = DEFAULT_SUBSCRIBERS;
  public int publishers = DEFAULT_PUBLISHERS;
  /** Messages per second in total; NaN: find the maximum. */
  public double rate = Double.NaN;
  public int payload = DEFAULT_PAYLOAD;
  public Duration duration = DEFAULT_DURATION;
  public Duration warmup = DEFAULT_WARMUP;
  public Duration settle = DEFAULT_SETTLE;
  /** Null: the scenario's default ({@link #targets()}). */
  public List<Target> targets;
  public String url;
  public String publishUrl;
  public boolean startNode;
  /** 0: the scenario's default. */
  public int nodes;
  public boolean split;
  public boolean compare;
  public Path brokerJar;
  public String ceilingUrl;
  public String ceilingWrite = "frames";
  public long serverPid;
  public int instances = 1;
  public List<String> nodeJvm = split(DEFAULT_NODE_JVM);
  public int runs = 1;
  public Path out = Path.of("results");
  public Duration maxP99 = DEFAULT_MAX_P99;
  public double startRate = Double.NaN;
  public int maxSteps = DEFAULT_MAX_STEPS;
  public String nodeCpus = "0";
  /** Null: the same as {@link #nodeCpus}. */
  public String secondNodeCpus;
  public String loadCpus = "1";
  public boolean pin = true;
  public int perAddress = 25_000;
  /** Null: {@code bench.<scenario>}. */
  public String topic;
  public int connections = 10_000;
  public double connectRate;
  /** 0: the scenario's default ({@link #topicCount()}). */
  public int topics;
  public Duration hold = Duration.ofSeconds(30);
  /** Subscribe+unsubscribe pairs a second; 0: no churn. */
  public double churn;
  public int churners = DEFAULT_CHURNERS;
  public String churnTopics = "own";

  public static BenchOptions parse(Args args) {
    BenchOptions o = new BenchOptions();
    List<String> words = args.positional();
    if (words.size() != 1) {
      throw new IllegalArgumentException("name one scenario: " + String.join(", ", SCENARIOS));
    }
    o.scenario = words.get(0);
    o.subscribers = args.integer("subscribers", o.subscribers);
    o.publishers = args.integer("publishers", o.publishers);
    String rate = args.string("rate", "max");
    o.rate = rate.equals("max") ? Double.NaN : args.number("rate", Double.NaN);
    o.payload = args.integer("payload", o.payload);
    o.duration = args.duration("duration", o.duration);
    o.warmup = args.duration("warmup", o.warmup);
    o.settle = args.duration("settle", o.settle);
    String target = args.string("target", null);
    o.targets = target == null ? null : target.equals("both") ? List.of(Target.BROKER, Target.CEILING)
        : List.of(Target.parse(target));
    o.url = args.string("url", null);
    o.publishUrl = args.string("publish-url", null);
    o.startNode = args.flag("start-node");
    o.nodes = args.integer("nodes", o.nodes);
    o.split = args.flag("split");
    o.compare = args.flag("compare");
    String jar = args.string("broker-jar", null);
    o.brokerJar = jar == null ? null : Path.of(jar);
    o.ceilingUrl = args.string("ceiling-url", null);
    o.ceilingWrite = args.string("ceiling-write", o.ceilingWrite);
    o.serverPid = args.integer("server-pid", 0);
    o.instances = args.integer("instances", o.instances);
    o.nodeJvm = split(args.string("node-jvm", DEFAULT_NODE_JVM));
    o.runs = args.integer("runs", o.runs);
    o.out = Path.of(args.string("out", o.out.toString()));
    o.maxP99 = args.duration("max-p99", o.maxP99);
    o.startRate = args.number("start-rate", o.startRate);
    o.maxSteps = args.integer("max-steps", o.maxSteps);
    o.nodeCpus = args.string("node-cpus", o.nodeCpus);
    o.secondNodeCpus = args.string("second-node-cpus", null);
    o.loadCpus = args.string("load-cpus", o.loadCpus);
    o.pin = !args.flag("no-pin");
    o.perAddress = args.integer("per-address", o.perAddress);
    o.topic = args.string("topic", o.topic);
    o.connections = args.integer("connections", o.connections);
    o.connectRate = args.number("connect-rate", o.connectRate);
    o.topics = args.integer("topics", o.topics);
    o.hold = args.duration("hold", o.hold);
    o.churn = args.number("churn", o.churn);
    o.churners = args.integer("churners", o.churners);
    o.churnTopics = args.string("churn-topics", o.churnTopics);
    args.rejectUnknown();
    return o.validate();
  }

  public boolean findMax() {
    return Double.isNaN(rate);
  }

  /** The first rate of the max search: the given one, or 20,000 deliveries a second. */
  public double firstRate() {
    return Double.isNaN(startRate) ? Math.max(1, 20_000.0 * topicCount() / subscribers) : startRate;
  }

  /** What the scenario measures when {@code --target} is not given: the ceiling has no topics and no cluster. */
  public List<Target> targets() {
    if (targets != null) {
      return targets;
    }
    return scenario.equals("topics") || scenario.equals("cross") ? List.of(Target.BROKER)
        : List.of(Target.BROKER, Target.CEILING);
  }

  /** Topics: as given, else one per subscriber for {@code topics}, one for the others. */
  public int topicCount() {
    return topics > 0 ? topics : scenario.equals("topics") ? subscribers : 1;
  }

  /** The topic (fanout, cross with one topic) or the prefix of the numbered topics. */
  public String topicName() {
    return topic != null ? topic : "bench." + scenario;
  }

  /** The topics of fanout, topics and cross: {@code <topic>.0 .. <topic>.<T-1>}, or just the topic when only one. */
  public List<String> topicNames() {
    int count = topicCount();
    if (count == 1 && !scenario.equals("topics")) {
      return List.of(topicName());
    }
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(topicName() + "." + i);
    }
    return names;
  }

  /** The topics the churn pairs use: one per churn connection, or the measured ones. */
  public List<String> churnTopicNames() {
    if (churnTopics.equals("shared")) {
      return topicNames();
    }
    List<String> names = new ArrayList<>(churners);
    for (int i = 0; i < churners; i++) {
      names.add(topicName() + ".churn." + i);
    }
    return names;
  }

  public String secondNodeCpus() {
    return secondNodeCpus != null ? secondNodeCpus : nodeCpus;
  }

  /** Whether the scenario publishes messages (fanout, topics, cross) rather than only connecting (storm, idle). */
  public boolean publishes() {
    return List.of("fanout", "topics", "cross").contains(scenario);
  }

  public BenchOptions validate() {
    require(SCENARIOS.contains(scenario), "scenario", "'" + scenario + "' is not one of: "
        + String.join(", ", SCENARIOS));
    require(subscribers >= 1, "subscribers", "must be at least 1");
    require(publishers >= 1, "publishers", "must be at least 1");
    require(findMax() || rate > 0, "rate", "must be max or a positive number");
    require(payload >= 48 && payload <= 60_000, "payload", "must be between 48 and 60000");
    require(!duration.isNegative() && duration.toMillis() >= 100, "duration", "must be at least 100ms");
    require(!warmup.isNegative(), "warmup", "must not be negative");
    require(!settle.isNegative(), "settle", "must not be negative");
    require(url == null || url.startsWith("ws://"), "url", "must start with ws://");
    require(ceilingUrl == null || ceilingUrl.startsWith("ws://"), "ceiling-url", "must start with ws://");
    require(ceilingWrite.equals("frames") || ceilingWrite.equals("bytes"), "ceiling-write",
        "must be frames or bytes");
    require(instances >= 1, "instances", "must be at least 1");
    require(runs >= 1 && runs <= 100, "runs", "must be between 1 and 100");
    require(maxP99.toMillis() >= 1, "max-p99", "must be at least 1ms");
    require(Double.isNaN(startRate) || startRate > 0, "start-rate", "must be positive");
    require(maxSteps >= 1 && maxSteps <= 100, "max-steps", "must be between 1 and 100");
    require(perAddress >= 1 && perAddress <= 28_000, "per-address", "must be between 1 and 28000");
    require(connections >= 1, "connections", "must be at least 1");
    require(connectRate >= 0, "connect-rate", "must not be negative");
    require(!hold.isNegative(), "hold", "must not be negative");
    require(topicName().matches("[A-Za-z0-9_\\-:@=]+(\\.[A-Za-z0-9_\\-:@=]+)*"), "topic", "is not a valid topic");
    require(topicName().length() <= 200 && topicName().split("\\.").length <= 13, "topic",
        "is too long for the numbered topics made of it (at most 200 characters and 13 segments)");
    require(topics >= 0, "topics", "must be at least 1");
    if (scenario.equals("storm") || scenario.equals("idle")) {
      require(topics <= connections, "topics", "must be at most --connections");
    } else {
      require(topics <= subscribers, "topics", "must be at most --subscribers: every topic needs a subscriber");
      require(!scenario.equals("fanout") || topics <= 1, "topics", "fanout has one topic; use the topics scenario");
    }
    validateNodes();
    validateChurn();
    return this;
  }

  private void validateNodes() {
    boolean cross = scenario.equals("cross");
    require(!targets().contains(Target.CEILING) || !scenario.equals("topics"), "target",
        "the ceiling server has no topics; topics measures the broker only");
    require(!targets().contains(Target.CEILING) || !cross, "target", "cross measures broker nodes only");
    require(url == null || !startNode, "url", "give --url or --start-node, not both");
    require(publishUrl == null || cross, "publish-url", "only the cross scenario publishes on another node");
    require(nodes == 0 || cross, "nodes", "only the cross scenario runs on several nodes");
    require(nodes == 0 || nodes == 2, "nodes", "cross runs on 2 nodes");
    require(!split || cross, "split", "only for the cross scenario");
    require(!compare || cross, "compare", "only for the cross scenario");
    require(secondNodeCpus == null || cross, "second-node-cpus", "only the cross scenario starts a second node");
    if (!cross) {
      require(!targets().contains(Target.BROKER) || url != null || startNode, "url",
          "give --url ws://host:port/ws of a running node, or --start-node");
      return;
    }
    require(publishUrl == null || !startNode, "publish-url", "give --url and --publish-url, or --start-node");
    require(startNode || url != null, "url",
        "give --url (subscribers' node) and --publish-url (publishers' node) of a running cluster, or --start-node");
    require(startNode || publishUrl != null, "publish-url",
        "give --publish-url ws://host:port/ws of the publishers' node (another node of --url's cluster)");
    require(publishUrl == null || publishUrl.startsWith("ws://"), "publish-url", "must start with ws://");
    require(publishUrl == null || !publishUrl.equals(url), "publish-url", "must be another node than --url");
  }

  private void validateChurn() {
    require(churn >= 0, "churn", "must not be negative");
    require(churn == 0 || scenario.equals("topics"), "churn", "only the topics scenario churns");
    require(churners >= 1 && churners <= 1000, "churners", "must be between 1 and 1000");
    require(churnTopics.equals("own") || churnTopics.equals("shared"), "churn-topics", "must be own or shared");
  }

  private static void require(boolean ok, String flag, String message) {
    if (!ok) {
      throw new IllegalArgumentException(flag + ": " + message);
    }
  }

  private static List<String> split(String s) {
    return new ArrayList<>(Arrays.asList(s.trim().isEmpty() ? new String[0] : s.trim().split("\\s+")));
  }
}
