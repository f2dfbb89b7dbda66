package dev.switchboard.client;

/**
 * How a subscription starts, for {@link SwitchboardClient#subscribe(String, SubscribeOptions, MessageHandler)}:
 * {@code SubscribeOptions.builder().since(stored).gapListener((s, seen, next) -> reload()).build()}. These settings
 * apply to history topics (docs/protocol.md); {@code since} and {@code latest} need a topic, not a pattern.
 * {@code info} is this client's presence info on a topic the node keeps presence for, and a
 * {@linkplain Builder#presenceListener(PresenceListener) presence listener} is told who joins and leaves it.
 */
public final class SubscribeOptions {
  /** No {@code since}, no {@code latest}, no gap listener: the subscription starts with the next message. */
  public static final SubscribeOptions DEFAULTS = builder().build();
  /** The most bytes of JSON an {@code info} may take (the protocol's limit, docs/protocol.md#presence). */
  public static final int MAX_INFO_BYTES = 1024;

  private final Position since;
  private final boolean latest;
  private final GapListener gapListener;
  private final Object info;
  private final PresenceListener presenceListener;

  private SubscribeOptions(Builder b) {
    this.since = b.since;
    this.latest = b.latest;
    this.gapListener = b.gapListener;
    this.info = b.info;
    this.presenceListener = b.presenceListener;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The position to resume after, or {@code null}; see {@link Builder#since(Position)}. */
  public Position since() {
    return since;
  }

  /** Whether the topic's last stored message comes first; see {@link Builder#latest(boolean)}. */
  public boolean latest() {
    return latest;
  }

  /** Told when messages were missed, or {@code null}; see {@link Builder#gapListener(GapListener)}. */
  public GapListener gapListener() {
    return gapListener;
  }

  /** The presence info to send with the subscribe, or {@code null}; see {@link Builder#info(Object)}. */
  public Object info() {
    return info;
  }

  /** Told who joins and leaves the topic, or {@code null}; see {@link Builder#presenceListener(PresenceListener)}. */
  public PresenceListener presenceListener() {
    return presenceListener;
  }

  /** Collects the settings; {@link #build()} checks them. */
  public static final class Builder {
    private Position since;
    private boolean latest;
    private GapListener gapListener;
    private Object info;
    private PresenceListener presenceListener;

    private Builder() {
    }

    /**
     * Resumes after {@code position}, the last message the application processed (kept from an earlier run, say):
     * the broker delivers the messages after it first, then live ones. If they are not all stored any more, the
     * {@linkplain #gapListener(GapListener) gap listener} is told and delivery starts with the next message.
     * {@code null} (the default): start with the next message.
     */
    public Builder since(Position position) {
      this.since = position;
      return this;
    }

    /** Delivers the topic's last stored message first (if still within its time to live), then live ones. */
    public Builder latest(boolean latest) {
      this.latest = latest;
      return this;
    }

    /** Told when the subscription missed messages; see {@link GapListener}. {@code null}: the gap is logged. */
    public Builder gapListener(GapListener listener) {
      this.gapListener = listener;
      return this;
    }

    /**
     * What other clients see of this one in the topic's presence ({@link SwitchboardClient#presence}), such as
     * {@code Map.of("name", "Ada")} or a record: any value {@link SwitchboardClient#publish} accepts as data, encoded
     * the same way when subscribing, at most {@link #MAX_INFO_BYTES} bytes of JSON (else the subscribe fails with
     * {@link IllegalArgumentException}). It is sent again with the subscription after every reconnect. Several
     * subscriptions of one client on the same topic share one membership: it carries the info of the first of them
     * that has one. {@code null} (the default): none. Ignored by a node that keeps no presence for the topic.
     */
    public Builder info(Object info) {
      this.info = info;
      return this;
    }

    /**
     * Told when users join and leave the topic (docs/protocol.md, "Presence events"): the subscribe asks for them
     * ({@code presence_events}), again after every reconnect. Only this subscription's listener is told; another
     * subscription of the client on the same topic without one gets no events. Needs a topic, not a pattern, that the
     * node keeps presence for (a node that keeps none sends no events). On a history topic the events are stored with
     * its messages and recovered with them ({@link PresenceEvent#position()}). {@code null} (the default): none.
     */
    public Builder presenceListener(PresenceListener listener) {
      this.presenceListener = listener;
      return this;
    }

    /** @throws IllegalArgumentException when {@code since} and {@code latest} are both given */
    public SubscribeOptions build() {
      if (since != null && latest) {
        throw new IllegalArgumentException("latest: cannot be combined with since");
      }
      return new SubscribeOptions(this);
    }
  }
}
