package dev.switchboard.broker.presence;

/** A topic's presence counts: subscriptions ({@code clients}) and distinct users (an anonymous client is one user). */
public record PresenceCounts(int clients, int users) {
}
