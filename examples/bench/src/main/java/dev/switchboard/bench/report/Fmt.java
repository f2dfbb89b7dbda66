package dev.switchboard.bench.report;

import java.util.Locale;

/** Number formats of the progress lines and tables. */
public final class Fmt {
  private Fmt() {
  }

  /** 950, 12.5k, 2.56M. */
  public static String count(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    if (a >= 1e4) {
      return String.format(Locale.ROOT, "%.3gk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** Milliseconds with three significant digits: 0.412, 12.3, 105. */
  public static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** 45%, or "-" when unknown. */
  public static String percent(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
  }

  public static String ratio(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
