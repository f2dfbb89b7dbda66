package dev.switchboard.broker.browser;

import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.Map;

/**
 * Runs asynchronous JavaScript in a page of a real browser and brings back its result: the body of an {@code async}
 * function, whose returned value comes back as Selenium converts it (numbers as {@code Long} or {@code Double},
 * objects as {@code Map}, arrays as {@code List}), and whose rejection becomes a {@link ScriptError} carrying the
 * error's {@code code} (a {@code SwitchboardError}'s) and {@code name}.
 *
 * <p>{@link #loadClient} opens a page of the node (so that the module is same-origin) and imports the JavaScript
 * client as {@code window.sb}, with small helpers: {@code record(name, options)} connects a client that records its
 * events and messages in {@code window.rec[name]}, and {@code waitFor(predicate)} waits for a condition, bounded.
 */
final class PageScript {
  static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(45);

  /** The helpers installed by {@link #loadClient}. */
  private static final String HELPERS = """
      window.sb = await import('/client/switchboard.js');
      window.rec = {};
      const plain = v => v instanceof Error ? { name: v.name, code: v.code ?? null, message: v.message } : v;
      window.record = (name, options) => {
        const client = sb.connect(options);
        const r = { client, events: [], messages: [] };
        for (const type of ['connecting', 'connected', 'disconnected', 'closed', 'gap', 'error']) {
          client.addEventListener(type, e => {
            const detail = {};
            for (const [k, v] of Object.entries(e.detail ?? {})) detail[k] = plain(v);
            r.events.push({ type, ...detail });
          });
        }
        r.handler = m => r.messages.push(m);
        r.count = type => r.events.filter(e => e.type === type).length;
        window.rec[name] = r;
        return r;
      };
      window.waitFor = (predicate, ms = 20000) => new Promise((resolve, reject) => {
        const deadline = performance.now() + ms;
        const poll = () => {
          if (predicate()) resolve();
          else if (performance.now() > deadline) reject(new Error('condition not met within ' + ms + ' ms'));
          else setTimeout(poll, 20);
        };
        poll();
      });
      return true;
      """;

  /** A rejected script: {@code code} is the error's {@code code} property, when it has one. */
  static final class ScriptError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String name;
    final String code;

    ScriptError(String name, String code, String message) {
      super(name + (code == null ? "" : " [" + code + "]") + ": " + message);
      this.name = name;
      this.code = code;
    }
  }

  private final ChromeDriver driver;

  PageScript(ChromeDriver driver) {
    this.driver = driver;
    driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
  }

  /** Opens a plain page of the node on {@code port} and imports the client (any previous page and its clients go). */
  void loadClient(int port) {
    driver.get("http://127.0.0.1:" + port + "/health/live");
    run(HELPERS);
  }

  /** Runs {@code body} as the body of an async function; returns its value or throws {@link ScriptError}. */
  Object run(String body) {
    Object result = driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        (async () => {
        %s
        })().then(
          value => done({ ok: true, value: value === undefined ? null : value }),
          e => done({ ok: false, name: String(e && e.name), code: e && e.code !== undefined ? String(e.code) : null,
            message: String(e && e.message) }));
        """.formatted(body));
    Map<?, ?> outcome = (Map<?, ?>) result;
    if (Boolean.TRUE.equals(outcome.get("ok"))) {
      return outcome.get("value");
    }
    throw new ScriptError((String) outcome.get("name"), (String) outcome.get("code"), (String) outcome.get("message"));
  }

  long number(String body) {
    return ((Number) run(body)).longValue();
  }

  String text(String body) {
    return (String) run(body);
  }
}
