package dev.switchboard.client.impl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.io.Reader;
import java.nio.CharBuffer;

/**
 * The generator {@link DataMapper} writes through: it refuses what {@link JsonCodec}'s streaming path refuses, so that
 * no serializer, Jackson's or the user's, can put it in a frame: text (strings, property names, map keys, raw JSON)
 * that is not well-formed UTF-16, NaN and infinite numbers, and containers nested deeper than
 * {@link JsonCodec#MAX_DEPTH}. Refusals are {@link IllegalArgumentException}s, which Jackson wraps with the path of
 * the property that failed.
 */
final class StrictGenerator extends JsonGeneratorDelegate {
  /** The depth of the value being written, counted as {@link JsonCodec#write} counts it. */
  private final int depth;
  /** The output's nesting before the value: the value's containers are counted from there. */
  private final int baseNesting;

  StrictGenerator(JsonGenerator out, int depth) {
    // false: writeObject, writeTree and copyCurrent* come back through this generator, not straight to out.
    super(out, false);
    this.depth = depth;
    this.baseNesting = out.getOutputContext().getNestingDepth();
  }

  @Override
  public ObjectCodec getCodec() {
    return DataMapper.MAPPER;
  }

  // --- containers: depth

  private void opening() {
    int at = depth + delegate.getOutputContext().getNestingDepth() - baseNesting;
    if (at > JsonCodec.MAX_DEPTH) {
      throw new IllegalArgumentException("nested more than " + JsonCodec.MAX_DEPTH + " levels deep (a cycle?)");
    }
  }

  @Override
  public void writeStartArray() throws IOException {
    opening();
    super.writeStartArray();
  }

  @Override
  @Deprecated
  public void writeStartArray(int size) throws IOException {
    opening();
    super.writeStartArray(size);
  }

  @Override
  public void writeStartArray(Object forValue) throws IOException {
    opening();
    super.writeStartArray(forValue);
  }

  @Override
  public void writeStartArray(Object forValue, int size) throws IOException {
    opening();
    super.writeStartArray(forValue, size);
  }

  @Override
  public void writeStartObject() throws IOException {
    opening();
    super.writeStartObject();
  }

  @Override
  public void writeStartObject(Object forValue) throws IOException {
    opening();
    super.writeStartObject(forValue);
  }

  @Override
  public void writeStartObject(Object forValue, int size) throws IOException {
    opening();
    super.writeStartObject(forValue, size);
  }

  // The delegate would write these arrays itself, past the checks: write them element by element instead.

  @Override
  public void writeArray(int[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(long[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(double[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(String[] array, int offset, int length) throws IOException {
    writeStartArray(array, length);
    for (int i = offset; i < offset + length; i++) {
      writeString(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writePOJO(Object pojo) throws IOException {
    writeObject(pojo);
  }

  // --- text: well-formed UTF-16

  private static void check(CharSequence s, String what) {
    int i = s == null ? -1 : JsonCodec.unpairedSurrogate(s);
    if (i >= 0) {
      throw new IllegalArgumentException(JsonCodec.surrogateMessage(what, s.charAt(i), i));
    }
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    check(name, "a property name or map key");
    super.writeFieldName(name);
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    check(name.getValue(), "a property name or map key");
    super.writeFieldName(name);
  }

  @Override
  public void writeString(String text) throws IOException {
    check(text, "a string");
    super.writeString(text);
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    check(CharBuffer.wrap(text, offset, len), "a string");
    super.writeString(text, offset, len);
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    check(text.getValue(), "a string");
    super.writeString(text);
  }

  @Override
  public void writeString(Reader reader, int len) throws IOException {
    // len < 0: up to the end of the reader.
    StringBuilder text = new StringBuilder();
    char[] buf = new char[1024];
    int n = 0;
    while (n >= 0 && (len < 0 || text.length() < len)) {
      n = reader.read(buf, 0, len < 0 ? buf.length : Math.min(buf.length, len - text.length()));
      if (n > 0) {
        text.append(buf, 0, n);
      }
    }
    writeString(text.toString());
  }

  @Override
  public void writeRaw(String text) throws IOException {
    check(text, "raw JSON");
    super.writeRaw(text);
  }

  @Override
  public void writeRaw(String text, int offset, int len) throws IOException {
    check(CharBuffer.wrap(text, offset, offset + len), "raw JSON");
    super.writeRaw(text, offset, len);
  }

  @Override
  public void writeRaw(SerializableString raw) throws IOException {
    check(raw.getValue(), "raw JSON");
    super.writeRaw(raw);
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) throws IOException {
    check(CharBuffer.wrap(text, offset, len), "raw JSON");
    super.writeRaw(text, offset, len);
  }

  @Override
  public void writeRawValue(String text) throws IOException {
    check(text, "raw JSON");
    super.writeRawValue(text);
  }

  @Override
  public void writeRawValue(String text, int offset, int len) throws IOException {
    check(CharBuffer.wrap(text, offset, offset + len), "raw JSON");
    super.writeRawValue(text, offset, len);
  }

  @Override
  public void writeRawValue(char[] text, int offset, int len) throws IOException {
    check(CharBuffer.wrap(text, offset, len), "raw JSON");
    super.writeRawValue(text, offset, len);
  }

  // --- numbers: finite

  @Override
  public void writeNumber(double v) throws IOException {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(v + " is not a valid JSON number");
    }
    super.writeNumber(v);
  }

  @Override
  public void writeNumber(float v) throws IOException {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(v + " is not a valid JSON number");
    }
    super.writeNumber(v);
  }
}
