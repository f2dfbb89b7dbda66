package dev.switchboard.broker.process;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(ProcessReaper.class)}: after each test, kills (SIGKILL) every {@link JavaProcess} the test started
 * and left running, and prints the output of all of them to stderr if the test failed. Processes started in
 * {@code @BeforeAll} are reaped the same way after all tests of the class.
 */
public final class ProcessReaper implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ProcessReaper.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    mark(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    mark(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    reap(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    reap(context);
  }

  private static void mark(ExtensionContext context) {
    context.getStore(NAMESPACE).put("mark", JavaProcess.mark());
  }

  private static void reap(ExtensionContext context) {
    Long mark = context.getStore(NAMESPACE).get("mark", Long.class);
    JavaProcess.reap(mark == null ? 0 : mark, context.getExecutionException().isPresent());
  }
}
