package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG, both axes logarithmic (decades labelled): series of points joined by lines,
 * filled markers for passing points and hollow ones for failing points, an optional horizontal limit line.
 */
final class SvgPlot {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 380;
  private static final int LEFT = 70;
  private static final int RIGHT = 170;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;

  record Point(double x, double y, boolean filled) {
  }

  record Series(String name, String color, String dash, List<Point> points) {
  }

  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private double limit = Double.NaN;
  private String limitLabel;

  SvgPlot(String xLabel, String yLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgPlot add(Series s) {
    series.add(s);
    return this;
  }

  SvgPlot limit(double y, String label) {
    this.limit = y;
    this.limitLabel = label;
    return this;
  }

  String svg() {
    double[] xr = range(true);
    double[] yr = range(false);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "font-family='sans-serif' font-size='11'>%n", WIDTH, HEIGHT));
    sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>%n",
        LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
    for (double d = xr[0]; d <= xr[1] + 1e-9; d++) {
      double px = px(d, xr);
      sb.append(line(px, TOP, px, HEIGHT - BOTTOM, "#eee", ""));
      sb.append(text(px, HEIGHT - BOTTOM + 15, "middle", Fmt.count(Math.pow(10, d))));
    }
    for (double d = yr[0]; d <= yr[1] + 1e-9; d++) {
      double py = py(d, yr);
      sb.append(line(LEFT, py, WIDTH - RIGHT, py, "#eee", ""));
      sb.append(text(LEFT - 5, py + 4, "end", Math.pow(10, d) >= 1 ? Fmt.count(Math.pow(10, d))
          : String.format(Locale.ROOT, "%s", Math.pow(10, d))));
    }
    sb.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 12, "middle", xLabel));
    sb.append(String.format(Locale.ROOT, "<text transform='translate(14,%d) rotate(-90)' text-anchor='middle'>%s"
        + "</text>%n", (TOP + HEIGHT - BOTTOM) / 2, Html.escape(yLabel)));
    if (!Double.isNaN(limit) && limit > 0) {
      double py = py(Math.log10(limit), yr);
      sb.append(line(LEFT, py, WIDTH - RIGHT, py, "#d62728", "6,3"));
      sb.append(text(WIDTH - RIGHT + 5, py + 4, "start", limitLabel));
    }
    int legend = 0;
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      for (Point p : s.points) {
        if (p.x > 0 && p.y > 0) {
          path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f",
              px(Math.log10(p.x), xr), py(Math.log10(p.y), yr)));
        }
      }
      sb.append(String.format(Locale.ROOT, "<path d='%s' fill='none' stroke='%s' stroke-width='1.5'%s/>%n", path,
          s.color, s.dash.isEmpty() ? "" : " stroke-dasharray='" + s.dash + "'"));
      for (Point p : s.points) {
        if (p.x > 0 && p.y > 0) {
          sb.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' stroke='%s' fill='%s'/>%n",
              px(Math.log10(p.x), xr), py(Math.log10(p.y), yr), s.color, p.filled ? s.color : "white"));
        }
      }
      double ly = TOP + 10 + 16 * legend++;
      sb.append(line(WIDTH - RIGHT + 8, ly, WIDTH - RIGHT + 30, ly, s.color, s.dash));
      sb.append(text(WIDTH - RIGHT + 34, ly + 4, "start", s.name));
    }
    return sb.append("</svg>\n").toString();
  }

  /** Whole decades around every positive value (and the limit) on one axis. */
  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (Point p : s.points) {
        double v = x ? p.x : p.y;
        if (v > 0) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!x && !Double.isNaN(limit) && limit > 0) {
      lo = Math.min(lo, limit);
      hi = Math.max(hi, limit);
    }
    if (lo == Double.POSITIVE_INFINITY) {
      return new double[] {0, 1};
    }
    double a = Math.floor(Math.log10(lo));
    double b = Math.ceil(Math.log10(hi));
    return new double[] {a, Math.max(b, a + 1)};
  }

  private static double px(double log, double[] r) {
    return LEFT + (log - r[0]) / (r[1] - r[0]) * (WIDTH - LEFT - RIGHT);
  }

  private static double py(double log, double[] r) {
    return HEIGHT - BOTTOM - (log - r[0]) / (r[1] - r[0]) * (HEIGHT - TOP - BOTTOM);
  }

  private static String line(double x1, double y1, double x2, double y2, String color, String dash) {
    return String.format(Locale.ROOT, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s'%s/>%n", x1, y1, x2,
        y2, color, dash.isEmpty() ? "" : " stroke-dasharray='" + dash + "'");
  }

  private static String text(double x, double y, String anchor, String text) {
    return String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='%s'>%s</text>%n", x, y, anchor,
        Html.escape(text));
  }
}
