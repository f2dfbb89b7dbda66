package dev.switchboard.bench.report;

import java.util.List;

/** Escaping and table rows for the HTML report. */
final class Html {
  private Html() {
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
        .replace("\"", "&quot;");
  }

  static String row(String cell, List<String> cells) {
    StringBuilder sb = new StringBuilder("<tr>");
    for (String c : cells) {
      sb.append('<').append(cell).append('>').append(escape(c)).append("</").append(cell).append('>');
    }
    return sb.append("</tr>\n").toString();
  }
}
