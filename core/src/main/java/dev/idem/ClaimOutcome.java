package dev.idem;

import dev.idem.codec.ResultCodec;
import dev.idem.codec.ResultType;

import java.time.Duration;

/**
 * The outcome of {@link Idem#claim}, for frameworks that drive the steps themselves.
 * Contention is an outcome, not an exception.
 */
public sealed interface ClaimOutcome {

    /** The full storage key. */
    String key();

    /** The caller holds the key: run the action, then complete or release the lease. */
    record Acquired(Lease lease) implements ClaimOutcome {
        @Override
        public String key() {
            return lease.key();
        }
    }

    /**
     * Another caller holds the key.
     *
     * @param retryAfter   the lease's remaining time, never negative
     * @param fencingToken the holder's token
     */
    record InFlight(String key, Duration retryAfter, long fencingToken) implements ClaimOutcome {
    }

    /**
     * The key's live record was made for a different payload. Only {@link Idem#claimAll} returns
     * this, so that one bad entry does not fail a whole batch; {@link Idem#claim} throws
     * {@link FingerprintMismatchException} instead.
     */
    record PayloadMismatch(String key, FingerprintMismatchException error) implements ClaimOutcome {
    }

    /** The key completed earlier: read the stored result with one of the {@code value} methods. */
    final class Replay implements ClaimOutcome {

        private final Idem idem;
        private final String key;
        private final byte[] envelope;
        private final long fencingToken;

        Replay(Idem idem, String key, byte[] envelope, long fencingToken) {
            this.idem = idem;
            this.key = key;
            this.envelope = envelope;
            this.fencingToken = fencingToken;
        }

        @Override
        public String key() {
            return key;
        }

        /** The token of the claim whose action produced the result. */
        public long fencingToken() {
            return fencingToken;
        }

        /**
         * Decodes the stored result.
         *
         * @throws ReplayedFailureException when the action's failure was stored as final
         * @throws ResultNotStoredException when the action completed without a stored result
         */
        public <T> T value(Class<T> type) {
            return value(ResultType.of(type));
        }

        /** Decodes the stored result as a generic type; see {@link #value(Class)}. */
        public <T> T value(ResultType<T> type) {
            return idem.decode(key, envelope, idem.codecFor(type));
        }

        /** Decodes the stored result with a specific codec; see {@link #value(Class)}. */
        public <T> T value(ResultCodec<T> codec) {
            return idem.decode(key, envelope, codec);
        }

        @Override
        public String toString() {
            return "Replay[key=" + key + ", fencingToken=" + fencingToken + "]";
        }
    }
}
