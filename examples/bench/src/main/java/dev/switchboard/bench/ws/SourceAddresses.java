package dev.switchboard.bench.ws;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local addresses to connect from. One source address gives about 28,000 connections to one server port (the
 * ephemeral port range, {@code /proc/sys/net/ipv4/ip_local_port_range}); past that, connections are bound to
 * 127.0.0.2, 127.0.0.3, ... in turn, which on Linux need no configuration (all of 127.0.0.0/8 is loopback).
 */
public final class SourceAddresses {
  /** Connections per source address; below the default ephemeral range of 28,232 ports. */
  public static final int DEFAULT_PER_ADDRESS = 25_000;
  private static final int MAX_ADDRESSES = 250;

  private final List<InetAddress> addresses;
  private final int perAddress;

  private SourceAddresses(List<InetAddress> addresses, int perAddress) {
    this.addresses = addresses;
    this.perAddress = perAddress;
  }

  /**
   * What {@code connections} connections to a server at {@code remote} need: no binding at all while one address
   * suffices or the server is not on loopback, else 127.0.0.1 .. 127.0.0.n, {@code perAddress} connections each.
   */
  public static SourceAddresses plan(int connections, int perAddress, InetAddress remote) {
    return plan(connections, perAddress, remote, 1);
  }

  /**
   * As {@link #plan(int, int, InetAddress)}, the addresses starting at 127.0.0.{@code first}: processes that connect
   * at the same time each take addresses of their own, since a bound address's ports are shared by all of them.
   */
  public static SourceAddresses plan(int connections, int perAddress, InetAddress remote, int first) {
    if (connections <= perAddress || !remote.isLoopbackAddress()) {
      return new SourceAddresses(List.of(), perAddress);
    }
    int count = (connections + perAddress - 1) / perAddress;
    if (first < 1 || first + count - 1 > MAX_ADDRESSES) {
      throw new IllegalArgumentException(connections + " connections need " + count + " loopback source addresses"
          + " at " + perAddress + " each, from 127.0.0." + first + ": past 127.0.0." + MAX_ADDRESSES);
    }
    List<InetAddress> list = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      try {
        list.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return new SourceAddresses(list, perAddress);
  }

  /** The address connection number {@code index} binds to; null: let the system choose. */
  public InetAddress forConnection(int index) {
    return addresses.isEmpty() ? null : addresses.get(Math.min(index / perAddress, addresses.size() - 1));
  }

  public boolean binds() {
    return !addresses.isEmpty();
  }

  /** For the log: which addresses, or that none are bound. */
  public String describe() {
    if (addresses.isEmpty()) {
      return "one source address (chosen by the system)";
    }
    return addresses.size() + " loopback source addresses " + addresses.get(0).getHostAddress() + " .. " + addresses.get(addresses.size() - 1)
        .getHostAddress() + ", up to " + perAddress + " connections each";
  }
}
