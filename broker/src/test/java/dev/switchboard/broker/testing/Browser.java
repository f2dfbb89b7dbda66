package dev.switchboard.broker.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real headless Chromium from the system's packages ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}),
 * driven by Selenium, with a fresh profile directory that {@link #close} removes. Nothing is downloaded: where the
 * browser is not installed a test using this is skipped, unless {@code SWITCHBOARD_REQUIRE_BROWSER=1} (set by
 * {@code .ci/run}, which installs it), where it fails.
 */
public final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("switchboard.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("switchboard.chromedriver", "/usr/bin/chromedriver");

  private final Path profile;
  private final ChromeDriver driver;

  private Browser(Path profile, ChromeDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  /** Whether Chromium and its driver are installed where {@link #open} looks. */
  public static boolean available() {
    return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
  }

  /** Skips the calling test where no browser is installed (fails instead where one is required). */
  public static void assumeAvailable() {
    if (available()) {
      return;
    }
    String missing = CHROMIUM + " or " + CHROMEDRIVER + " is not installed (apt-get install chromium chromium-driver)";
    if ("1".equals(System.getenv("SWITCHBOARD_REQUIRE_BROWSER"))) {
      throw new AssertionError(missing + ", and SWITCHBOARD_REQUIRE_BROWSER=1");
    }
    Assumptions.assumeTrue(false, missing);
  }

  /** Starts a headless browser; skips (or fails, see {@link #assumeAvailable}) where there is none. */
  public static Browser open() {
    assumeAvailable();
    Path profile;
    try {
      profile = Files.createTempDirectory("switchboard-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1280,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    return new Browser(profile, new ChromeDriver(service, options));
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Saves a PNG of the page as it is now to {@code target}. */
  public void screenshot(Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temporary profile is harmless
      }
    }
  }
}
