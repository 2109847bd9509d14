package dev.idem;

import dev.idem.codec.ResultType;

import java.util.Objects;

/**
 * One entry of {@link Idem#completeAll}: a held lease and the result to store for it.
 *
 * @param <T> the result type
 */
public record Completion<T>(Lease lease, T value, ResultType<T> type) {

    public Completion {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(type, "type");
    }

    public static <T> Completion<T> of(Lease lease, T value, Class<T> type) {
        return new Completion<>(lease, value, ResultType.of(type));
    }
}
