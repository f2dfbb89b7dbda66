package dev.switchboard.bench;

import dev.switchboard.bench.fleet.FleetOptions;

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
  public static final List<String> SCENARIOS = List.of("fanout", "topics", "cross", "storm", "idle", "fleet");

  /** The usage text of {@code --help}. */
  public static final String HELP = Usage.TEXT;

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
  /** The network transport of the servers started here: auto, nio or epoll (the node's --transport). */
  public String transport = "auto";
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
  /** The fleet scenario's own settings; null for the others. */
  public FleetOptions fleet;

  public static BenchOptions parse(BenchArgs args) {
    BenchOptions o = new BenchOptions();
    List<String> words = args.positional();
    if (words.size() != 1) {
      throw new IllegalArgumentException("name one scenario: " + String.join(", ", SCENARIOS));
    }
    o.scenario = words.get(0);
    boolean fleet = o.scenario.equals("fleet");
    o.subscribers = args.integer("subscribers", o.subscribers);
    o.publishers = args.integer("publishers", o.publishers);
    String rate = args.string("rate", "max");
    o.rate = rate.equals("max") ? Double.NaN : args.number("rate", Double.NaN);
    o.payload = args.integer("payload", o.payload);
    o.duration = args.duration("duration", o.duration);
    o.warmup = fleet ? o.warmup : args.duration("warmup", o.warmup);
    o.settle = args.duration("settle", fleet ? FleetOptions.DEFAULT_SETTLE : o.settle);
    String target = args.string("target", null);
    o.targets = target == null ? null : target.equals("both") ? List.of(Target.BROKER, Target.CEILING)
        : List.of(Target.parse(target));
    o.url = args.string("url", null);
    o.publishUrl = args.string("publish-url", null);
    o.startNode = args.flag("start-node");
    o.nodes = args.integer("nodes", fleet ? FleetOptions.DEFAULT_NODES : o.nodes);
    o.split = args.flag("split");
    o.compare = args.flag("compare");
    String jar = args.string("broker-jar", null);
    o.brokerJar = jar == null ? null : Path.of(jar);
    o.ceilingUrl = args.string("ceiling-url", null);
    o.ceilingWrite = args.string("ceiling-write", o.ceilingWrite);
    o.transport = args.string("transport", o.transport);
    o.serverPid = args.integer("server-pid", 0);
    o.instances = args.integer("instances", fleet ? 0 : o.instances);
    o.nodeJvm = split(args.string("node-jvm", fleet ? FleetOptions.DEFAULT_NODE_JVM : DEFAULT_NODE_JVM));
    o.runs = args.integer("runs", o.runs);
    o.out = Path.of(args.string("out", o.out.toString()));
    o.maxP99 = args.duration("max-p99", o.maxP99);
    o.startRate = args.number("start-rate", o.startRate);
    o.maxSteps = args.integer("max-steps", o.maxSteps);
    o.nodeCpus = args.string("node-cpus", o.nodeCpus);
    o.secondNodeCpus = args.string("second-node-cpus", null);
    o.loadCpus = args.string("load-cpus", o.loadCpus);
    // The fleet shares every CPU between nodes and generators unless CPUs are named.
    o.pin = !args.flag("no-pin") && (!fleet || args.has("node-cpus") || args.has("load-cpus"));
    // A fleet's generators bind each connection to its source address: the kernel's search for a free port gets
    // slow on an address with many bound ports, and a generator stuck in bind() answers no pings.
    o.perAddress = args.integer("per-address", fleet ? FleetOptions.DEFAULT_PER_ADDRESS : o.perAddress);
    o.topic = args.string("topic", o.topic);
    o.connections = args.integer("connections", fleet ? FleetOptions.DEFAULT_CONNECTIONS : o.connections);
    o.connectRate = args.number("connect-rate", o.connectRate);
    o.topics = args.integer("topics", o.topics);
    o.hold = args.duration("hold", o.hold);
    o.churn = args.number("churn", o.churn);
    o.churners = args.integer("churners", o.churners);
    o.churnTopics = args.string("churn-topics", o.churnTopics);
    o.fleet = fleet ? FleetOptions.parse(args) : null;
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
    if (scenario.equals("fleet")) {
      fleet = fleet == null ? new FleetOptions() : fleet;
      fleet.validate(this);
      return this;
    }
    require(subscribers >= 1, "subscribers", "must be at least 1");
    require(publishers >= 1, "publishers", "must be at least 1");
    require(findMax() || rate > 0, "rate", "must be max or a positive number");
    require(payload >= 48 && payload <= 60_000, "payload", "must be between 48 and 60000");
    require(!duration.isNegative() && duration.toMillis() >= 100, "duration", "must be at least 100ms");
    require(!warmup.isNegative(), "warmup", "must not be negative");
    require(!settle.isNegative(), "settle", "must not be negative");
    require(url == null || url.startsWith("ws://"), "url", "must start with ws://");
    require(ceilingUrl == null || ceilingUrl.startsWith("ws://"), "ceiling-url", "must start with ws://");
    require(ceilingWrite.matches("frames|bytes|batch"), "ceiling-write", "must be frames, bytes or batch");
    require(transport.matches("auto|nio|epoll"), "transport", "must be auto, nio or epoll");
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
