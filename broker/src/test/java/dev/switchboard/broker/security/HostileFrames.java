package dev.switchboard.broker.security;

import dev.switchboard.protocol.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * jqwik generators of hostile client frames: broken and mutated JSON, deep nesting, huge numbers and strings, type
 * confusion in every field, subscribe and unsubscribe floods, binary and fragmented frames; and, on connections of
 * their own, frames that end the connection (invalid UTF-8, over the size limit, broken fragmentation).
 */
final class HostileFrames {
  /** One frame to send: text (maybe in fragments), or binary. */
  record Frame(String text, byte[] binary, int fragments) {
    static Frame text(String text) {
      return new Frame(text, null, 1);
    }

    @Override
    public String toString() {
      String shown = text != null ? text : "binary " + binary.length + " bytes";
      return (shown.length() > 300 ? shown.substring(0, 300) + "… (" + shown.length() + " chars)" : shown)
          + (fragments > 1 ? " in " + fragments + " fragments" : "");
    }
  }

  private static final List<String> TYPES = List.of("subscribe", "unsubscribe", "publish", "pong", "hello",
      "ping", "welcome", "SUBSCRIBE", "", "message", "ack");
  private static final List<String> TOPICS = List.of("news", "news.eu", "news.*", "news.>", ">", "*", "a.b.c.d",
      "x.y", "$sys", "news..eu", ".news", "news.", "a.>.b", "**", "news eu", "ünï", "a:b@c=d_e-f",
      "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q", "t" + "x".repeat(300));

  private HostileFrames() {
  }

  /** ServerFrames that must be answered on a connection that stays open. */
  static Arbitrary<Frame> survivable() {
    return Arbitraries.frequencyOf(
        Tuple(3, requests().map(Frame::text)),
        Tuple(3, mutated(requests()).map(Frame::text)),
        Tuple(2, junk().map(Frame::text)),
        Tuple(1, deepNesting().map(Frame::text)),
        Tuple(1, hugeNumbers().map(Frame::text)),
        Tuple(1, hugeStrings().map(Frame::text)),
        Tuple(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new Frame(null, b, 1))),
        Tuple(1, Combinators.combine(requests(), Arbitraries.integers().between(2, 6))
            .as((text, parts) -> new Frame(text, null, Math.min(parts, Math.max(1, text.length()))))));
  }

  private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Frame>> Tuple(int weight,
                                                                                         Arbitrary<? extends Frame> a) {
    return net.jqwik.api.Tuple.of(weight, a);
  }

  /** Well-formed JSON objects of every frame type, with fields of the right and of the wrong kinds. */
  static Arbitrary<String> requests() {
    Arbitrary<String> type = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(TYPES).map(HostileFrames::quote)),
        net.jqwik.api.Tuple.of(1, anyValue()));
    Arbitrary<String> topic = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of(TOPICS).map(HostileFrames::quote)),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars("ab.*>$ ").ofMaxLength(20).map(HostileFrames::quote)),
        net.jqwik.api.Tuple.of(1, anyValue()));
    Arbitrary<String> id = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(HostileFrames::quote)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(quote("i".repeat(200)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(quote(""))),
        net.jqwik.api.Tuple.of(1, anyValue()));
    Arbitrary<String> since = Arbitraries.of("{\"epoch\":\"e\",\"offset\":3}", "{\"epoch\":1}", "[]", "-5",
        "{\"epoch\":\"e\",\"offset\":99999999999999999999999}", "null", "{\"offset\":-2,\"epoch\":\"\"}");
    return Combinators.combine(type, topic, id, anyValue(), since, Arbitraries.integers().between(0, 63))
        .as((t, tp, i, data, s, mask) -> {
          StringBuilder sb = new StringBuilder("{");
          sb.append("\"type\":").append(t);
          if ((mask & 1) != 0) {
            sb.append(",\"topic\":").append(tp);
          }
          if ((mask & 2) != 0) {
            sb.append(",\"id\":").append(i);
          }
          if ((mask & 4) != 0) {
            sb.append(",\"data\":").append(data);
          }
          if ((mask & 8) != 0) {
            sb.append(",\"since\":").append(s);
          }
          if ((mask & 16) != 0) {
            sb.append(",\"latest\":").append((mask & 32) != 0 ? "true" : "\"yes\"");
          }
          if ((mask & 48) == 48) {
            sb.append(",\"type\":\"publish\""); // a duplicate key
          }
          if ((mask & 40) == 40) {
            sb.append(",\"token\":").append(tp);
          }
          return sb.append('}').toString();
        });
  }

  /** Any JSON value, small. */
  static Arbitrary<String> anyValue() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.doubles().map(d -> Double.isFinite(d) ? String.valueOf(d) : "0"),
        Arbitraries.strings().ofMaxLength(12).map(HostileFrames::quote),
        Arbitraries.of("null", "true", "false", "[]", "{}", "[1,[2,[3]]]", "{\"a\":{\"b\":null}}", "\"\\u0000\"",
            "\"\\ud800\"", "1e400", "-0", "123456789012345678901234567890"));
  }

  /** A request with bytes changed, dropped, repeated or truncated. */
  static Arbitrary<String> mutated(Arbitrary<String> base) {
    return Combinators.combine(base, Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers().between(0, 4),
        Arbitraries.chars().with('{', '}', '[', ']', '"', ',', ':', '\\', 'x', '0', ' ', '\u00e9', '\uffff'))
        .as((text, where, how, c) -> {
          int i = text.isEmpty() ? 0 : where % text.length();
          switch (how) {
            case 0:
              return text.substring(0, i) + c + text.substring(Math.min(text.length(), i + 1));
            case 1:
              return text.substring(0, i) + text.substring(Math.min(text.length(), i + 1));
            case 2:
              return text.substring(0, i) + c + text.substring(i);
            case 3:
              return text.substring(0, i);
            default:
              return text + text.substring(i);
          }
        });
  }

  static Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("{}[]\":,\\ 0-9a-z").ofMaxLength(80),
        Arbitraries.of("", " ", "null", "[]", "[{\"type\":\"publish\"}]", "\"publish\"", "42", "{", "}", "{}",
            "{\"type\":\"publish\"} {}", "{\"type\":\"pong\"}garbage", "\u0000", "{\"type\":\"pong\"}\n"));
  }

  static Arbitrary<String> deepNesting() {
    return Combinators.combine(Arbitraries.integers().between(50, 5000), Arbitraries.of("[", "{\"a\":"),
        Arbitraries.of(true, false)).as((depth, open, inData) -> {
          String close = open.equals("[") ? "]" : "}";
          String nested = open.repeat(depth) + "1" + close.repeat(depth);
          return inData ? "{\"type\":\"publish\",\"id\":\"d\",\"topic\":\"deep\",\"data\":" + nested + "}" : nested;
        });
  }

  static Arbitrary<String> hugeNumbers() {
    return Combinators.combine(Arbitraries.integers().between(20, 20_000), Arbitraries.of("", "-", "0.", "1e"),
        Arbitraries.of("data", "id", "topic", "since")).as((digits, prefix, field) -> {
          String number = prefix + "9".repeat(digits);
          String value = field.equals("since") ? "{\"epoch\":\"e\",\"offset\":" + number + "}" : number;
          return "{\"type\":\"" + (field.equals("since") ? "subscribe" : "publish")
              + "\",\"topic\":\"n\",\"data\":1,\"" + field + "\":" + value + "}";
        });
  }

  static Arbitrary<String> hugeStrings() {
    return Combinators.combine(Arbitraries.integers().between(100, 60_000), Arbitraries.of("topic", "id", "type",
        "data", "token", "other")).as((length, field) -> "{\"type\":\"publish\",\"topic\":\"s\",\"data\":0,\""
        + field + "\":\"" + "\u00e9".repeat(length / 2) + "\"}");
  }

  /** Subscribes and unsubscribes, back to back, to topics and patterns valid and not. */
  static Arbitrary<Frame> subscriptionFlood() {
    return Combinators.combine(Arbitraries.of("subscribe", "unsubscribe"), Arbitraries.of(TOPICS),
        Arbitraries.integers().between(0, 40), Arbitraries.of(true, false))
        .as((type, topic, n, withId) -> Frame.text("{\"type\":\"" + type + "\""
            + (withId ? ",\"id\":\"f" + n + "\"" : "") + ",\"topic\":" + quote(topic.endsWith(">") || n > 30
            ? topic : topic + (Topics.checkTopic(topic) == null ? "." + n : "")) + "}"));
  }

  /** ServerFrames after which the node must close the connection with a documented code. */
  static Arbitrary<Frame> fatal() {
    return Arbitraries.oneOf(
        // invalid UTF-8 in a text frame: 1007
        Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {'{', (byte) 0xED,
            (byte) 0xA0, (byte) 0x80, '}'}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80})
            .map(b -> new Frame(null, b, -1)),
        // over max-frame-bytes: 1009
        Arbitraries.integers().between(70_000, 300_000).map(n -> Frame.text("{\"type\":\"publish\",\"topic\":\"big\","
            + "\"data\":\"" + "x".repeat(n) + "\"}")));
  }

  static String quote(String s) {
    return io.vertx.core.json.Json.encode(s);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
