package dev.switchboard.admin;

/** The order of a history page. */
public enum HistoryOrder {
  /** The newest message first; each next page goes further back. */
  NEWEST,
  /** The oldest message still stored first; each next page comes closer to now. */
  OLDEST
}
