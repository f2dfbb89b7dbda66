package dev.switchboard.admin;

/**
 * What an unsubscribe did, cluster-wide.
 *
 * @param user the user
 * @param topic the topic or pattern, as subscribed
 * @param unsubscribed the subscriptions dropped, summed over the nodes that answered
 * @param nodes the cluster members asked
 * @param answered the members that answered within the node's bound (5 s)
 */
public record UnsubscribeResult(String user, String topic, int unsubscribed, int nodes, int answered) {
}
