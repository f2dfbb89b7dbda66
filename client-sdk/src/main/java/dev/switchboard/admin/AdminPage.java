package dev.switchboard.admin;

import java.util.List;

/**
 * One page of a list: its items, and the cursor to ask for the next page with ({@code after} of {@code topics} and
 * {@code presence}, {@code since} of {@code history}), null on the last page.
 *
 * @param items the page's items, in the list's order
 * @param next the cursor of the next page, or null when this is the last
 * @param <T> the type of the items
 */
public record AdminPage<T>(List<T> items, String next) {
  public AdminPage {
    items = List.copyOf(items);
  }

  /** Whether there is a next page. */
  public boolean hasNext() {
    return next != null;
  }
}
