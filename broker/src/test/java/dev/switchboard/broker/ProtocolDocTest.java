package dev.switchboard.broker;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md lists exactly the codes the code defines, with the same classes. */
class ProtocolDocTest {
  static final Path DOC = Path.of("..", "docs", "protocol.md");

  @Test
  void errorCodeTableMatchesErrorCode() throws IOException {
    String section = section("## Error codes");
    Set<String> documented = rows(section, Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE)).keySet();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toList()));
  }

  @Test
  void closeCodeTableMatchesCloseCode() throws IOException {
    String section = section("## Close codes");
    Map<String, String> rows = rows(section,
        Pattern.compile("^\\| (\\d{4}) \\| `([a-z_]+)` \\| (reconnect|terminal) \\|", Pattern.MULTILINE));
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(CloseCode.values()).map(c -> c.code() + " " + c.reason()).collect(Collectors.toList()));
    for (CloseCode code : CloseCode.values()) {
      String documentedClass = rows.get(code.code() + " " + code.reason());
      assertThat(documentedClass).as(code.name()).isEqualTo(code.terminal() ? "terminal" : "reconnect");
      assertThat(CloseCode.isTerminal(code.code())).as(code.name()).isEqualTo(code.terminal());
    }
  }

  private static String section(String heading) throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf(heading);
    assertThat(start).as(heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  private static Map<String, String> rows(String section, Pattern row) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = row.matcher(section);
    while (m.find()) {
      if (m.groupCount() == 1) {
        out.put(m.group(1), "");
      } else {
        out.put(m.group(1) + " " + m.group(2), m.group(3));
      }
    }
    return out;
  }
}
