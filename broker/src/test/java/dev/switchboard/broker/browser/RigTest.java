package dev.switchboard.broker.browser;

import dev.switchboard.broker.testing.Clients;
import dev.switchboard.broker.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A browser test class on one {@link BrowserRig} for all its tests (one instance of the class for all of them), with
 * a fresh page from node 0 before each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RigTest {
  BrowserRig rig;
  TestCluster cluster;
  Clients sdk;
  PageScript page;

  /** The class's nodes and browser. */
  abstract BrowserRig startRig();

  @BeforeAll
  void start() {
    rig = startRig();
    cluster = rig.cluster;
    sdk = rig.sdk;
    page = rig.page;
  }

  @AfterAll
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  @BeforeEach
  void freshPage() {
    rig.freshPage(0);
  }
}
