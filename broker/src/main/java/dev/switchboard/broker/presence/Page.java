package dev.switchboard.broker.presence;

import java.util.List;

/** One page of a list ordered by a key: {@code next} is the key to ask after for the next page, null on the last. */
public record Page<T>(List<T> items, String next) {
}
