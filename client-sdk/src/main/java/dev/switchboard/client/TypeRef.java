package dev.switchboard.client;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type for {@link Message#as(TypeRef)}, captured by an anonymous subclass:
 * {@code new TypeRef<List<Order>>() {}}.
 *
 * @param <T> the type it stands for
 */
public abstract class TypeRef<T> {
  private final Type type;

  /**
   * Captures the type argument of the subclass.
   *
   * @throws IllegalStateException when the subclass gives no type argument ({@code new TypeRef() {}})
   */
  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType)) {
      throw new IllegalStateException("TypeRef needs its type argument: new TypeRef<List<Order>>() {}");
    }
    this.type = ((ParameterizedType) superclass).getActualTypeArguments()[0];
  }

  /**
   * The captured type.
   *
   * @return the type argument, as {@code List<Order>}
   */
  public final Type type() {
    return type;
  }

  @Override
  public String toString() {
    return "TypeRef<" + type.getTypeName() + ">";
  }
}
