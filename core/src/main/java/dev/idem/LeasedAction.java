package dev.idem;

/**
 * A side effect that receives its {@link Lease}, to extend it during long work.
 *
 * @param <T> the result type
 * @param <E> the checked exception the action may throw
 */
@FunctionalInterface
public interface LeasedAction<T, E extends Exception> {

    T run(Lease lease) throws E;
}
