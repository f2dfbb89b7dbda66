package dev.switchboard.admin;

/**
 * What a disconnect did, cluster-wide.
 *
 * @param user the user
 * @param code the close code the connections were closed with
 * @param closed the connections closed, summed over the nodes that answered
 * @param nodes the cluster members asked
 * @param answered the members that answered within the node's bound (5 s); fewer than {@code nodes} means some
 *     member may still hold connections of the user
 */
public record DisconnectResult(String user, int code, int closed, int nodes, int answered) {
}
