package dev.idem;

/**
 * A request reused a key whose live record was made for a different payload. This is a client
 * error (HTTP 422 in the IETF {@code Idempotency-Key} header draft): never a replay, never a takeover.
 */
public class FingerprintMismatchException extends IdempotencyException {

    public FingerprintMismatchException(String key, String storedStatus) {
        super(key, "Key " + key + " was first used with a different payload (stored record is " + storedStatus
                + "). Send the original payload, or use a new idempotency key for a new request.");
    }
}
