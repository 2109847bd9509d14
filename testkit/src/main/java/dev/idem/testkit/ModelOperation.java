package dev.idem.testkit;

import java.util.List;

/**
 * One step of a generated operation sequence in {@link IdempotencyStoreModelProperties}. Keys are
 * small indexes that the property maps to store keys under a random prefix.
 */
sealed interface ModelOperation {

    /** Choice of the token that a token-checked operation presents. */
    enum TokenChoice {
        /** The token of the key's latest claim, or 1 when the key was never claimed. */
        CURRENT,
        /** The token of the claim before the latest, or 0 when there was none. */
        PREVIOUS
    }

    /** Claims a key, with a fingerprint or with {@code null}. */
    record Claim(int key, String fingerprint) implements ModelOperation {
    }

    /** Completes a key with the chosen token. */
    record Complete(int key, TokenChoice token, byte[] result) implements ModelOperation {

        @Override
        public String toString() {
            return "Complete[key=" + key + ", token=" + token + ", resultBytes=" + result.length + "]";
        }
    }

    /** Releases a key with the chosen token. */
    record Release(int key, TokenChoice token) implements ModelOperation {
    }

    /** Extends the lease of a key with the chosen token. */
    record Extend(int key, TokenChoice token) implements ModelOperation {
    }

    /** Reads a key. */
    record Get(int key) implements ModelOperation {
    }

    /** Claims several keys in one batch, where a key may appear more than once. */
    record ClaimAll(List<Claim> claims) implements ModelOperation {
    }

    /**
     * Completes several distinct keys in one batch. The SPI leaves a repeated key in one
     * {@code completeAll} unspecified, so the generator never repeats one.
     */
    record CompleteAll(List<Complete> completes) implements ModelOperation {
    }
}
