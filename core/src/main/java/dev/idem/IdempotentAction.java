package dev.idem;

/**
 * The side effect to run once per key.
 *
 * @param <T> the result type
 * @param <E> the checked exception the action may throw; inferred as {@code RuntimeException} when it throws none
 */
@FunctionalInterface
public interface IdempotentAction<T, E extends Exception> {

    T run() throws E;
}
