package dev.switchboard.client.impl;

/**
 * What the client does with messages its handlers cannot keep up with. The client never stops reading the socket (so
 * a close frame is seen at once), so the dispatcher's queue is where memory is bounded: once it holds
 * {@code maxDispatchBacklog} callbacks, a message of a plain topic or a pattern is dropped and counted, and a history
 * topic's subscription falls behind and catches up from the store when the queue is down to half. Each overload is
 * logged once when it starts and once when it ends. Loop thread, except the counters.
 */
final class Overflow {
  private static final System.Logger LOG = System.getLogger("dev.switchboard.client");

  private final Dispatcher dispatcher;
  private final Loop loop;
  private final int maxBacklog;
  private final Counters counters;
  private final Runnable catchUp;
  /** An overload is on: the dispatcher was full, and has not been down to half since. */
  private boolean overloaded;
  /** Messages dropped before the current overload began. */
  private long droppedBefore;

  /** @param catchUp runs on the loop once the dispatcher has room, when a history subscription fell behind */
  Overflow(Dispatcher dispatcher, Loop loop, int maxBacklog, Counters counters, Runnable catchUp) {
    this.dispatcher = dispatcher;
    this.loop = loop;
    this.maxBacklog = maxBacklog;
    this.counters = counters;
    this.catchUp = catchUp;
  }

  void received() {
    counters.received();
  }

  /** Whether the dispatcher already holds as many callbacks as it may. */
  boolean full() {
    return dispatcher.backlog() >= maxBacklog;
  }

  /** A message of {@code key} is not handed on and will not come again: counted, and logged when an overload starts. */
  void drop(String key) {
    boolean began = start();
    counters.dropped();
    if (began) {
      LOG.log(System.Logger.Level.WARNING, "message handlers are too slow: {0} callbacks wait (maxDispatchBacklog); "
          + "dropping messages of plain topics and patterns, first on {1} (stats().messagesDropped() counts them)",
          maxBacklog, key);
    }
  }

  /** A history subscription on {@code key} fell behind; it asks the store for what it skipped once there is room. */
  void behind(String key) {
    start();
    LOG.log(System.Logger.Level.INFO, "message handlers are too slow: {0} callbacks wait; history topic {1} will "
        + "catch up from the store", maxBacklog, key);
  }

  /** Begins an overload unless one is on; returns whether it began. */
  private boolean start() {
    if (overloaded) {
      return false;
    }
    overloaded = true;
    droppedBefore = counters.droppedCount();
    dispatcher.whenBacklogAtMost(maxBacklog / 2, () -> loop.execute(this::relieved));
    return true;
  }

  private void relieved() {
    overloaded = false;
    long dropped = counters.droppedCount() - droppedBefore;
    LOG.log(dropped > 0 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
        "message handlers caught up; {0} messages were dropped meanwhile", dropped);
    catchUp.run();
  }
}
