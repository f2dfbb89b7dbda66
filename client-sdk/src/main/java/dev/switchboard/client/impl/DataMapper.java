package dev.switchboard.client.impl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.switchboard.client.Json;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * The client's one Jackson {@link ObjectMapper}, for data that {@link JsonCodec}'s streaming path does not handle
 * (records, POJOs, {@code java.time}, {@code Optional}, enums, UUIDs, ...) and for {@code Message.as}. Configured
 * once, shared by every client, never handed out: users cannot change it.
 *
 * <ul>
 *   <li>{@code java.time} values are ISO-8601 strings ({@code "2025-01-31T12:00:03.412Z"}, {@code "PT1.5S"}), not
 *       numbers; {@code Optional} is its value or {@code null};
 *   <li>unknown properties are ignored when binding; missing ones are left {@code null}, zero or empty;
 *   <li>public members of public types are used as they are, without {@code setAccessible}, so a public record or
 *       bean in a package its module exports needs no {@code opens}; anything else is reached with
 *       {@code setAccessible}, which on the module path needs the package opened to
 *       {@code com.fasterxml.jackson.databind};
 *   <li>{@link Json#raw(String)} values inside a record or bean are written as is;
 *   <li>a JDK type that Jackson has no serializer for ({@code Thread}, {@code Socket}, exceptions, ...) is refused
 *       rather than written as a bean of its getters.
 * </ul>
 */
final class DataMapper {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new Jdk8Module())
      .addModule(new SimpleModule("switchboard").addSerializer(Json.class, new RawJsonSerializer())
          .setSerializerModifier(new NoJdkBeans()))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.OVERRIDE_PUBLIC_ACCESS_MODIFIERS)
      .build();

  private DataMapper() {
  }

  /**
   * Writes {@code value} at {@code depth} (counted as {@link JsonCodec#write} counts it) through a
   * {@link StrictGenerator}.
   *
   * @throws IllegalArgumentException naming the value's type and why it cannot be written
   */
  static void write(JsonGenerator g, Object value, int depth) throws IOException {
    try {
      MAPPER.writeValue(new StrictGenerator(g, depth), value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("data: cannot encode " + value.getClass().getName() + " as JSON: "
          + reason(e), e);
    }
  }

  /**
   * Binds JSON text to {@code type}.
   *
   * @throws IllegalArgumentException naming the type, what did not fit and where
   */
  static <T> T read(String json, Type type) {
    JavaType target = MAPPER.getTypeFactory().constructType(type);
    try {
      return MAPPER.readValue(json, target);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("message data does not fit " + type.getTypeName() + ": " + reason(e), e);
    }
  }

  /** Jackson's own message, without the source location, with the path in the data where it failed. */
  private static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (e instanceof JsonMappingException && !((JsonMappingException) e).getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("$");
      for (JsonMappingException.Reference r : ((JsonMappingException) e).getPath()) {
        if (r.getFieldName() != null) {
          path.append('.').append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      message += " (at " + path + ")";
    }
    return message;
  }

  /** Refuses JDK classes that only a bean serializer, built from their getters, would write. */
  private static final class NoJdkBeans extends BeanSerializerModifier {
    @Override
    public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean,
        JsonSerializer<?> serializer) {
      Class<?> type = bean.getBeanClass();
      String module = type.getModule().getName();
      boolean jdk = module != null && (module.startsWith("java.") || module.startsWith("jdk."));
      return jdk && serializer instanceof BeanSerializerBase ? new Refused(type) : serializer;
    }
  }

  private static final class Refused extends StdSerializer<Object> {
    Refused(Class<?> type) {
      super(type, false);
    }

    @Override
    public void serialize(Object value, JsonGenerator g, SerializerProvider provider) throws IOException {
      provider.reportBadDefinition(handledType(), handledType().getName() + " is a JDK type with no JSON form; "
          + "publish a record or Map of the values you need");
    }
  }

  /** {@link Json#raw(String)} inside a record or bean: its text, already checked. */
  private static final class RawJsonSerializer extends StdSerializer<Json> {
    RawJsonSerializer() {
      super(Json.class);
    }

    @Override
    public void serialize(Json value, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeRawValue(value.text());
    }
  }
}
