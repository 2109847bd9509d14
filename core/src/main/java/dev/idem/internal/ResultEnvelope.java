package dev.idem.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stored form of a completed record's result: one tag byte, then the payload.
 *
 * <ul>
 *   <li>{@code 'v'} followed by the codec's bytes: a value.</li>
 *   <li>{@code 'n'}: the action returned {@code null}.</li>
 *   <li>{@code 'f'} followed by UTF-8 {@code type + '\n' + message}: a failure stored as final.</li>
 *   <li>{@code 'x'} followed by a UTF-8 reason: completed without a stored result.</li>
 * </ul>
 *
 * <p>Tags are printable so that an operator reading a record with {@code redis-cli} or
 * {@code psql} can tell the kinds apart.
 */
public final class ResultEnvelope {

    public static final byte VALUE = 'v';
    public static final byte NULL = 'n';
    public static final byte FAILURE = 'f';
    public static final byte NOT_STORED = 'x';

    private static final byte[] NULL_ENVELOPE = {NULL};

    private ResultEnvelope() {
    }

    public static byte[] value(byte[] encoded) {
        byte[] envelope = new byte[encoded.length + 1];
        envelope[0] = VALUE;
        System.arraycopy(encoded, 0, envelope, 1, encoded.length);
        return envelope;
    }

    public static byte[] nullValue() {
        return NULL_ENVELOPE.clone();
    }

    public static byte[] failure(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        return tagged(FAILURE, failure.getClass().getName() + "\n" + message);
    }

    public static byte[] notStored(String reason) {
        return tagged(NOT_STORED, reason);
    }

    /** The tag of a stored envelope, or {@code -1} when the bytes are empty. */
    public static int tag(byte[] envelope) {
        return envelope == null || envelope.length == 0 ? -1 : envelope[0];
    }

    public static byte[] payload(byte[] envelope) {
        return Arrays.copyOfRange(envelope, 1, envelope.length);
    }

    public static String text(byte[] envelope) {
        return new String(envelope, 1, envelope.length - 1, StandardCharsets.UTF_8);
    }

    private static byte[] tagged(byte tag, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] envelope = new byte[bytes.length + 1];
        envelope[0] = tag;
        System.arraycopy(bytes, 0, envelope, 1, bytes.length);
        return envelope;
    }
}
