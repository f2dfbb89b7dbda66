package dev.switchboard.broker.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file of {@code --api-key-file}: the keys of the server API, one a line. Blank lines and lines starting with
 * {@code #} are ignored, and the whitespace around a key. Each key has at least {@value #MIN_LENGTH} characters, none
 * of them whitespace or control characters; the file names at least one. Several keys let a backend change its key
 * without a moment where the node takes neither: add the new one, move the backends, remove the old one (the node reads
 * the file again every few seconds, {@code ApiKeys}).
 */
public final class ApiKeyFile {
  /** The shortest key accepted: a guessable key would let anyone close every user's connections. */
  public static final int MIN_LENGTH = 32;
  static final String SETTING = "api-key-file";

  private ApiKeyFile() {
  }

  /**
   * The keys of {@code file}; throws {@link IllegalArgumentException} naming {@value #SETTING} (and the line, never the
   * key) for a file that cannot be read, a key that is too short or has a space or control character in it, or a
   * file without a key.
   */
  public static List<String> read(String file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
      throw new IllegalArgumentException(SETTING + ": cannot read " + file + " (" + why + ")", e);
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String key = lines.get(i).strip();
      if (key.isEmpty() || key.startsWith("#")) {
        continue;
      }
      String where = SETTING + ": line " + (i + 1) + " of " + file;
      if (key.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(where + " is a key of " + key.length() + " characters; a key must have at"
            + " least " + MIN_LENGTH + " (e.g. openssl rand -hex 32)");
      }
      if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new IllegalArgumentException(where + " has a space or control character inside its key");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(SETTING + ": " + file + " holds no key (one a line; # starts a comment)");
    }
    return List.copyOf(keys);
  }
}
