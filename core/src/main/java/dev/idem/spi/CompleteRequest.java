package dev.idem.spi;

import java.util.Objects;

/**
 * A request to complete a claim.
 *
 * @param key             the full storage key
 * @param fencingToken    the token the claim returned
 * @param result          the encoded result to store; never {@code null}
 * @param retentionMillis how long the completed record lives, counted from completion
 */
public record CompleteRequest(String key, long fencingToken, byte[] result, long retentionMillis) {

    public CompleteRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("retentionMillis must be positive, got " + retentionMillis);
        }
    }
}
