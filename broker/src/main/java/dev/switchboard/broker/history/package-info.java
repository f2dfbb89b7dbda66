/**
 * The store of history topics: one Hazelcast ringbuffer per topic ({@link dev.switchboard.broker.history.History}),
 * its entry format ({@link dev.switchboard.broker.history.HistoryEntry}: the data and its publish stamp, ready to be
 * framed without decoding) and the ordered appends of one event loop
 * ({@link dev.switchboard.broker.history.HistoryAppender}), and pages of it for the server API
 * ({@link dev.switchboard.broker.history.HistoryReader}). Uses {@code wire}. Reading it for subscribers is
 * {@code routing.HistoryFeed}'s.
 */
package dev.switchboard.broker.history;
