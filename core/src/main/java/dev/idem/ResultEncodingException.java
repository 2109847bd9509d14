package dev.idem;

/**
 * The action ran but its result could not be encoded for storage. The record was completed
 * without a result, so the action will not run again for this key; duplicates get a
 * {@link ResultNotStoredException}. Register a codec or a Jackson module for the result type.
 */
public class ResultEncodingException extends IdempotencyException {

    public ResultEncodingException(String key, String message, Throwable cause) {
        super(key, message, cause);
    }
}
