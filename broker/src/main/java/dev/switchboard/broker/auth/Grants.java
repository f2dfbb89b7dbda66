package dev.switchboard.broker.auth;

import dev.switchboard.protocol.Topics;

import java.util.List;

/**
 * What one connection may do: the topic patterns its token grants for publishing and for subscribing (the grammar
 * of subscriptions: {@code *} one segment, a last {@code >} one or more). A publish is allowed when a publish grant
 * matches its topic. A subscription is allowed when one subscribe grant <em>covers</em> it: every topic the
 * subscription can match is matched by that grant. That is checked once, at subscribe, so that nothing needs
 * checking at delivery: a subscriber only ever holds subscriptions whose every possible message it may read, also
 * through a wildcard that happens to match a topic nobody thought of.
 *
 * <p>Covering is decided grant by grant, never by a union of grants: {@code a.*} and {@code a.*.>} together match
 * everything {@code a.>} matches, but neither covers it, so {@code a.>} is refused. That errs on the side of
 * refusing; grant {@code a.>} itself to allow it.
 */
public final class Grants {
  /** Everything: anonymous connections on a node that does not require authentication. */
  static final Grants ALL = new Grants(List.of(Topics.REST), List.of(Topics.REST), true);

  private final List<String> publish;
  private final List<String> subscribe;
  private final boolean everything;

  private Grants(List<String> publish, List<String> subscribe, boolean everything) {
    this.publish = publish;
    this.subscribe = subscribe;
    this.everything = everything;
  }

  /** Grants from valid patterns (the caller drops invalid ones). */
  static Grants of(List<String> publish, List<String> subscribe) {
    return new Grants(List.copyOf(publish), List.copyOf(subscribe), false);
  }

  List<String> publish() {
    return publish;
  }

  List<String> subscribe() {
    return subscribe;
  }

  /** Whether a publish to the concrete {@code topic} is granted. */
  boolean mayPublish(String topic) {
    if (everything) {
      return true;
    }
    for (int i = 0; i < publish.size(); i++) {
      if (Topics.matches(publish.get(i), topic)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a subscription to {@code topicOrPattern} is granted: one subscribe grant covers it. */
  public boolean maySubscribe(String topicOrPattern) {
    if (everything) {
      return true;
    }
    for (int i = 0; i < subscribe.size(); i++) {
      if (covers(subscribe.get(i), topicOrPattern)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every concrete topic that {@code pattern} matches is also matched by {@code grant} (both valid topics or
   * patterns). Segment by segment: a grant's {@code >} covers whatever follows (one or more segments, and the pattern
   * has at least one there); a grant's {@code *} covers one literal or {@code *} segment; a literal covers only the
   * same literal. A pattern's {@code >} (any number of segments) is covered only by a grant's {@code >}.
   */
  static boolean covers(String grant, String pattern) {
    String[] g = grant.split("\\.", -1);
    String[] p = pattern.split("\\.", -1);
    for (int i = 0; i < g.length; i++) {
      if (g[i].equals(Topics.REST)) {
        return i < p.length;
      }
      if (i >= p.length || p[i].equals(Topics.REST)) {
        return false;
      }
      if (!g[i].equals(Topics.ONE) && (p[i].equals(Topics.ONE) || !g[i].equals(p[i]))) {
        return false;
      }
    }
    return g.length == p.length;
  }

  @Override
  public String toString() {
    return everything ? "everything" : "publish " + publish + ", subscribe " + subscribe;
  }
}
