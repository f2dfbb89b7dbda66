package dev.switchboard.broker.cluster;

import dev.switchboard.broker.BrokerOptions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** The join list's host names: whether they name another member, and waiting (bounded) until they resolve. */
public final class ClusterJoin {
  private static final Logger LOG = Logger.getLogger(ClusterJoin.class.getName());
  private static final long RETRY_MS = 250;

  private ClusterJoin() {
  }

  /**
   * Whether the join list names a member other than this one ({@code host:port} entries whose host resolves to the
   * cluster host's address with the cluster port are this node; a name that does not resolve yet is another).
   */
  public static boolean namesOthers(BrokerOptions options) {
    String self;
    try {
      self = InetAddress.getByName(options.clusterHost()).getHostAddress() + ":" + options.clusterPort();
    } catch (UnknownHostException e) {
      return !options.join().isEmpty();
    }
    for (String member : options.join()) {
      int colon = member.lastIndexOf(':');
      try {
        String address = InetAddress.getByName(member.substring(0, colon)).getHostAddress() + member.substring(colon);
        if (!address.equals(self)) {
          return true;
        }
      } catch (UnknownHostException e) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits until every host of {@code join} resolves, at most {@code maxMs}: in a container network, a peer's name
   * resolves only once its container runs, and peers started together come up a moment apart. Hazelcast would warn
   * for each name it cannot resolve yet. Returns the hosts still unresolved (logged once); blocks.
   */
  public static List<String> awaitNames(List<String> join, long maxMs) {
    long deadline = System.nanoTime() + maxMs * 1_000_000;
    List<String> missing = unresolved(join);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(RETRY_MS); // polls the resolver: nothing to be notified by
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      missing = unresolved(join);
    }
    if (!missing.isEmpty()) {
      List<String> names = missing;
      LOG.info(() -> "join: " + names + " do not resolve yet; starting without them (they join when they come up)");
    }
    return missing;
  }

  private static List<String> unresolved(List<String> join) {
    List<String> missing = new ArrayList<>();
    for (String member : join) {
      String host = member.substring(0, member.lastIndexOf(':'));
      try {
        InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        missing.add(host);
      }
    }
    return missing;
  }
}
