package dev.switchboard.broker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tree shows the architecture, and keeps showing it: the broker's packages depend on each other in one direction
 * only (the order below, which the package javadocs and the README's code map describe), the wiring package stays
 * small, the broker uses the SDK's protocol names and nothing else of it, and no two main classes of the project share
 * a simple name. Read from the sources, by their imports.
 */
class ArchitectureTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();
  private static final Path BROKER = PROJECT.resolve("broker/src/main/java");
  private static final String ROOT = "dev.switchboard.broker";
  /** The internal packages, lowest first: each may use only those before it (and the public API package). */
  private static final List<String> LAYERS = List.of("security", "wire", "auth", "cluster", "history", "ops",
      "presence", "routing", "session", "http", "sse", "impl");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[A-Z]\\w*(?:\\.\\w+)*;",
      Pattern.MULTILINE);

  @Test
  void everyBrokerPackageUsesOnlyThePackagesBelowIt() {
    Map<String, Set<String>> uses = packageImports(BROKER);
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
      String from = e.getKey();
      if (from.equals(ROOT)) {
        continue; // the public API: value types used everywhere, and the one entry into impl (NodeBootstrap)
      }
      int level = layer(from);
      for (String to : e.getValue()) {
        if (to.startsWith(ROOT + ".") && layer(to) >= level) {
          wrong.add(from + " -> " + to);
        }
      }
    }
    assertThat(uses.keySet()).as("every broker package has its place in the order")
        .allMatch(p -> p.equals(ROOT) || LAYERS.contains(p.substring(ROOT.length() + 1)));
    assertThat(wrong).as("dependencies that run upward or sideways").isEmpty();
    assertThat(uses.get(ROOT)).as("the public API reaches into impl only to start the node")
        .allMatch(p -> !p.startsWith(ROOT + ".") || p.equals(ROOT + ".impl") || p.equals(ROOT + ".security"));
  }

  @Test
  void eachPackageSaysWhatItOwnsAndTheWiringStaysSmall() throws IOException {
    for (String layer : LAYERS) {
      assertThat(BROKER.resolve(ROOT.replace('.', '/')).resolve(layer).resolve("package-info.java"))
          .as(layer).exists();
    }
    try (Stream<Path> files = Files.list(BROKER.resolve(ROOT.replace('.', '/')).resolve("impl"))) {
      assertThat(files.filter(f -> !f.getFileName().toString().equals("package-info.java")).count())
          .isLessThanOrEqualTo(12);
    }
  }

  @Test
  void theBrokerUsesTheSdkProtocolNamesOnly() {
    Map<String, Set<String>> uses = packageImports(BROKER);
    Set<String> sdk = new TreeSet<>();
    uses.values().forEach(all -> all.stream().filter(p -> p.startsWith("dev.switchboard.client")).forEach(sdk::add));
    assertThat(sdk).isEmpty();
  }

  @Test
  void noTwoMainClassesShareASimpleName() throws IOException {
    Map<String, List<Path>> byName = new TreeMap<>();
    try (Stream<Path> files = Files.walk(PROJECT)) {
      files.filter(f -> f.toString().contains("/src/main/java/") && f.toString().endsWith(".java")
              && !f.getFileName().toString().equals("package-info.java")
              && !f.getFileName().toString().equals("module-info.java") && !f.toString().contains("/target/"))
          .forEach(f -> byName.computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>()).add(f));
    }
    byName.values().removeIf(paths -> paths.size() < 2);
    assertThat(byName).isEmpty();
  }

  private static int layer(String pkg) {
    String rest = pkg.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return LAYERS.indexOf(dot < 0 ? rest : rest.substring(0, dot));
  }

  /** Package → the packages its files import from (other than itself). */
  private static Map<String, Set<String>> packageImports(Path sources) {
    Map<String, Set<String>> uses = new HashMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        String text = read(f);
        Matcher p = PACKAGE.matcher(text);
        if (!p.find()) {
          return;
        }
        String pkg = p.group(1);
        Set<String> to = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String imported = m.group(1);
          // An import of a nested type names its outer class: cut back to the package.
          while (!imported.isEmpty() && Character.isUpperCase(imported.charAt(imported.lastIndexOf('.') + 1))) {
            imported = imported.substring(0, imported.lastIndexOf('.'));
          }
          if (imported.startsWith("dev.switchboard") && !imported.equals(pkg)) {
            to.add(imported);
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
