package dev.switchboard.broker.browser;

import dev.switchboard.broker.BrokerOptions;
import dev.switchboard.broker.testing.Browser;
import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;

import java.util.function.Consumer;

/**
 * What a browser test of the client stands on: a cluster of real nodes, SDK clients beside the page, one Chromium
 * and the page's script runner; closed in the reverse order.
 */
final class BrowserRig implements AutoCloseable {
  final TestCluster cluster;
  final Clients sdk;
  final Browser browser;
  final PageScript page;

  private BrowserRig(TestCluster cluster) {
    this.cluster = cluster;
    this.sdk = new Clients();
    this.browser = Browser.open();
    this.page = new PageScript(browser.driver());
  }

  /** {@code nodes} nodes tuned by {@code tune}, then the browser; Chromium must be there (CI installs it). */
  static BrowserRig start(int nodes, Consumer<BrokerOptions> tune) {
    Browser.assumeAvailable();
    return new BrowserRig(TestCluster.of(nodes, tune));
  }

  /** A fresh page with the client loaded from node {@code node}. */
  void freshPage(int node) {
    page.loadClient(cluster.node(node).port());
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      try {
        sdk.close();
      } finally {
        cluster.close();
      }
    }
  }
}
