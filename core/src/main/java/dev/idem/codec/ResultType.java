package dev.idem.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The type of an action's result, generic types included. Capture a generic type with an
 * anonymous subclass: {@code new ResultType<List<Order>>() {}}; use {@link #of(Class)} for a
 * plain class.
 *
 * @param <T> the result type
 */
public abstract class ResultType<T> {

    private final Type type;

    protected ResultType() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException("Create a ResultType with a type argument, such as"
                    + " new ResultType<List<Order>>() {}, or use ResultType.of(Order.class).");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    private ResultType(Type type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** The type of a plain, non-generic class. */
    public static <T> ResultType<T> of(Class<T> type) {
        return new ResultType<>(type) {
        };
    }

    /** The captured type. */
    public Type type() {
        return type;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResultType<?> that && type.equals(that.type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return type.getTypeName();
    }
}
