package dev.idem.codec;

/**
 * Turns an action's result into bytes for storage and back for replay. The core handles
 * {@code null} results itself, so a codec never sees {@code null}.
 *
 * @param <T> the result type
 */
public interface ResultCodec<T> {

    /**
     * Encodes a non-null result.
     *
     * @throws RuntimeException when the value cannot be encoded; the core reports it as a
     *                          {@link dev.idem.ResultEncodingException}
     */
    byte[] encode(T value);

    /** Decodes bytes that {@link #encode} produced. */
    T decode(byte[] bytes);
}
