package dev.switchboard.broker;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run the launcher's stop on a thread of its own, then exit with its status. Handling the signals
 * (rather than a shutdown hook) keeps logging and everything else working while the node drains, which takes the drain
 * window. A second signal during the stop exits at once with 1.
 */
final class GracefulStop {
  private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());

  private GracefulStop() {
  }

  static void onSignals(IntSupplier stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        if (!stopping.compareAndSet(false, true)) {
          LOG.warning("SIG" + signal.getName() + " again: stopping at once");
          Runtime.getRuntime().halt(1);
        }
        Thread stopper = new Thread(() -> System.exit(stop.getAsInt()), "switchboard-stop");
        stopper.start();
      });
    }
  }
}
