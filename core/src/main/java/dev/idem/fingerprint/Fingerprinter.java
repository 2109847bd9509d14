package dev.idem.fingerprint;

/**
 * Computes the fingerprint of a request payload: a hash that tells whether a duplicate carries
 * the same request as the first call. A reused key with another fingerprint is rejected.
 */
@FunctionalInterface
public interface Fingerprinter {

    /**
     * Returns the fingerprint of a non-null payload, or {@code null} to skip the check for it.
     *
     * @throws IllegalArgumentException when the payload's type is not supported; the message names the type
     */
    String fingerprint(Object payload);
}
