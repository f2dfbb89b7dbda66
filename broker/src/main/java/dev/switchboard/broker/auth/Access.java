package dev.switchboard.broker.auth;

import dev.switchboard.protocol.ErrorCode;

/**
 * What one client may do right now, and how fast: its grants (everything on an anonymous node), the node's topic
 * limits, its own publish and subscribe buckets and, when it has a user, the user's publish bucket on this node.
 * Checked for every publish and subscribe through {@link Admission}, whichever way the client came in. Every refusal
 * is counted and logged once, here. Only touched on the client's event loop (the user's bucket is shared, and
 * synchronized).
 */
public final class Access {
  private final Security security;
  private final String who;
  private final TokenBucket publishes;
  private final TokenBucket subscribes;
  private Grants grants;
  private String user;
  private TokenBucket userPublishes;

  public Access(Security security, String who) {
    this.security = security;
    this.who = who;
    long now = System.nanoTime();
    this.publishes = TokenBucket.perSecond(security.options.publishRate(), now);
    this.subscribes = TokenBucket.perSecond(security.options.subscribeRate(), now);
    this.grants = security.authRequired() ? Grants.of(java.util.List.of(), java.util.List.of()) : Grants.ALL;
  }

  /** From now on the client acts as {@code user} with {@code grants} (its token was verified). */
  public void identify(String user, Grants grants) {
    this.user = user;
    this.grants = grants;
    this.userPublishes = security.users.publishes(user);
  }

  public String user() {
    return user;
  }

  Grants grants() {
    return grants;
  }

  /** A publish to {@code topic} (valid by grammar): null when it may go out now. Takes a token when it may. */
  Admission.Refused publish(String topic) {
    String limit = security.topicLimit(topic);
    if (limit != null) {
      return refuse(Refusal.TOPIC_LIMIT, ErrorCode.INVALID_TOPIC, limit);
    }
    if (!grants.mayPublish(topic)) {
      return refuse(Refusal.FORBIDDEN, ErrorCode.FORBIDDEN, "the token does not grant publishing to " + topic);
    }
    long now = System.nanoTime();
    if (!publishes.tryTake(now)) {
      return refuse(Refusal.RATE_LIMITED, ErrorCode.RATE_LIMITED, "more than " + security.options.publishRate()
          + " publishes a second on this connection");
    }
    if (userPublishes != null && !userPublishes.tryTake(now)) {
      publishes.giveBack();
      return refuse(Refusal.RATE_LIMITED, ErrorCode.RATE_LIMITED, "more than "
          + security.options.userPublishRate() + " publishes a second by this user on this node");
    }
    return null;
  }

  /** A subscribe to {@code topicOrPattern} (valid by grammar): null when admitted. */
  Admission.Refused subscribe(String topicOrPattern) {
    String limit = security.topicLimit(topicOrPattern);
    if (limit != null) {
      return refuse(Refusal.TOPIC_LIMIT, ErrorCode.INVALID_TOPIC, limit);
    }
    if (!grants.maySubscribe(topicOrPattern)) {
      return refuse(Refusal.FORBIDDEN, ErrorCode.FORBIDDEN, "the token does not grant subscribing to "
          + topicOrPattern);
    }
    return rate();
  }

  /** An unsubscribe: only the rate applies (leaving is always allowed, but not a flood of it). */
  public Admission.Refused unsubscribe() {
    return rate();
  }

  private Admission.Refused rate() {
    if (!subscribes.tryTake(System.nanoTime())) {
      return refuse(Refusal.RATE_LIMITED, ErrorCode.RATE_LIMITED, "more than " + security.options.subscribeRate()
          + " subscribes and unsubscribes a second on this connection");
    }
    return null;
  }

  private Admission.Refused refuse(Refusal refusal, ErrorCode code, String message) {
    security.refused(user == null ? who : who + " (user " + user + ")", refusal, message);
    return new Admission.Refused(code, message);
  }
}
