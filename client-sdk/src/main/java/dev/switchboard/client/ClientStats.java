package dev.switchboard.client;

/**
 * Counts of one client since it was created, from {@link SwitchboardClient#stats()}: a snapshot, each count read on
 * its own (they are not taken at one instant together).
 *
 * @param reconnects connections made ready after the first one
 * @param messagesReceived {@code message} frames read from the node, including those dropped and those received
 *     again while a history subscription catches up
 * @param messagesDropped messages read and not handed to any handler because the dispatcher already held
 *     {@link ClientOptions#maxDispatchBacklog()} callbacks (a plain topic or a pattern: they are lost; a history topic
 *     is never dropped, it resumes from the store instead, see docs/client-java.md)
 * @param publishesPending publishes called and not yet acknowledged or failed (queued, written, or awaiting the ack)
 * @param publishesAcked publishes the node acknowledged
 * @param publishesFailed publishes whose stage failed, for any reason
 */
public record ClientStats(long reconnects, long messagesReceived, long messagesDropped, long publishesPending,
    long publishesAcked, long publishesFailed) {
}
