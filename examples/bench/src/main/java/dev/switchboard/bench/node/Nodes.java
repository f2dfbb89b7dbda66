package dev.switchboard.bench.node;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** The servers of one run, in order (for cross-node runs: the publishers' node first); closing stops those started. */
public final class Nodes implements AutoCloseable {
  private final List<Endpoint> endpoints;

  private Nodes(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  public static Nodes of(Endpoint... endpoints) {
    return new Nodes(Arrays.asList(endpoints));
  }

  public static Nodes of(List<Endpoint> endpoints) {
    return new Nodes(endpoints);
  }

  public int size() {
    return endpoints.size();
  }

  public URI url(int i) {
    return URI.create(endpoints.get(i).url());
  }

  /** The known process ids (0 left out). */
  public long[] pids() {
    return endpoints.stream().mapToLong(Endpoint::pid).filter(p -> p > 0).toArray();
  }

  /** For the log: each url, with its pid when known. */
  public String describe() {
    return endpoints.stream().map(e -> e.url() + (e.pid() > 0 ? " (pid " + e.pid() + ")" : ""))
        .collect(Collectors.joining(", "));
  }

  /** Stops the servers started here, the last first. */
  @Override
  public void close() {
    List<Endpoint> reversed = new ArrayList<>(endpoints);
    Collections.reverse(reversed);
    RuntimeException failure = null;
    for (Endpoint e : reversed) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        failure = failure == null ? ex : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
