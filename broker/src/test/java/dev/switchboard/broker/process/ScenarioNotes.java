package dev.switchboard.broker.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What a scenario tells besides the ledger: figures for its SUMMARY line, and lines printed under it. */
final class ScenarioNotes {
  final Map<String, String> figures = new LinkedHashMap<>();
  final List<String> lines = new ArrayList<>();
  /** Subscribers held to no duplicate only, not to no loss, and why (printed with the scenario). */
  final Set<String> lossAllowed = new HashSet<>();

  void allowLoss(List<String> subscribers, String why) {
    lossAllowed.addAll(subscribers);
    line("not held to no loss: " + subscribers + ": " + why);
  }

  void figure(String key, String value) {
    figures.put(key, value);
  }

  void line(String text) {
    lines.add(text);
  }

  /** The clients' reconnections: how many moved, their close codes, when the last was back. */
  void disruption(HistoryLoad.Disruption d) {
    figure("clientsClosed", String.valueOf(d.clients().size()));
    figure("closeCodes", d.closeCodes().toString());
    figure("recovered", String.format(Locale.ROOT, "%.1fs", d.lastBackMs() / 1000.0));
    figure("longestAway", String.format(Locale.ROOT, "%.1fs(%s)", d.longestOutageMs() / 1000.0, d.longestAway()));
    line(d.toString());
  }

  String figures() {
    return figures.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
