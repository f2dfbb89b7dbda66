/**
 * Who is subscribed where, cluster-wide: presence members of the topics {@code --presence} names, and subscriber
 * counts of every live topic. Each node owns what its own clients contribute and sends the changes to every other
 * node; every node holds the whole cluster's state, so that reads (members, counts, topics) are local and cheap.
 */
package dev.switchboard.broker.presence;
