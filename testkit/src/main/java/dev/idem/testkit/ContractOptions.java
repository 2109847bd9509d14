package dev.idem.testkit;

import dev.idem.spi.StoreCapabilities;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Capability flags and timing settings of the store contract suite, immutable. A backend's test
 * class overrides {@link IdempotencyStoreContract#options()} and returns one built with
 * {@link #builder()}. The defaults suit a store in the same JVM or on a local server.
 */
public final class ContractOptions {

    private final Boolean purgesExpired;
    private final boolean tokensSurviveExpiry;
    private final Duration shortLease;
    private final Duration longLease;
    private final Duration awaitTimeout;
    private final Duration pollInterval;
    private final Duration maxClockSkew;
    private final Duration timeTolerance;
    private final int fuzzThreads;
    private final Duration fuzzDuration;

    private ContractOptions(Builder builder) {
        this.purgesExpired = builder.purgesExpired;
        this.tokensSurviveExpiry = builder.tokensSurviveExpiry;
        this.shortLease = builder.shortLease;
        this.longLease = builder.longLease;
        this.awaitTimeout = builder.awaitTimeout;
        this.pollInterval = builder.pollInterval;
        this.maxClockSkew = builder.maxClockSkew;
        this.timeTolerance = builder.timeTolerance;
        this.fuzzThreads = builder.fuzzThreads;
        this.fuzzDuration = builder.fuzzDuration;
    }

    /** Returns the options with every default. */
    public static ContractOptions defaults() {
        return builder().build();
    }

    /** Starts a builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a builder with this instance's values, to change a few of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.purgesExpired = purgesExpired;
        builder.tokensSurviveExpiry = tokensSurviveExpiry;
        builder.shortLease = shortLease;
        builder.longLease = longLease;
        builder.awaitTimeout = awaitTimeout;
        builder.pollInterval = pollInterval;
        builder.maxClockSkew = maxClockSkew;
        builder.timeTolerance = timeTolerance;
        builder.fuzzThreads = fuzzThreads;
        builder.fuzzDuration = fuzzDuration;
        return builder;
    }

    /** The value set with {@link Builder#purgesExpired(boolean)}, or empty when it is derived from the store. */
    public Optional<Boolean> purgesExpired() {
        return Optional.ofNullable(purgesExpired);
    }

    /**
     * Tells whether {@code purgeExpired} deletes records and returns their count: the value set on the
     * builder, or else {@code true} exactly when the store has no native expiry.
     */
    public boolean purgesExpired(StoreCapabilities capabilities) {
        return purgesExpired != null ? purgesExpired : !capabilities.nativeExpiry();
    }

    /** Whether a key's fencing token keeps increasing after its record expired and was deleted. */
    public boolean tokensSurviveExpiry() {
        return tokensSurviveExpiry;
    }

    /** The lease and retention of records that the expiry tests wait out. */
    public Duration shortLease() {
        return shortLease;
    }

    /** The lease and retention of records that must not expire while a test runs. */
    public Duration longLease() {
        return longLease;
    }

    /** The maximum time a test waits for the store to expire a lease or a record. */
    public Duration awaitTimeout() {
        return awaitTimeout;
    }

    /** The pause between two polls of the store while a test waits. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The largest accepted difference between a result's {@code now} and the client's clock. */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /**
     * The largest accepted difference between two times that the store derives from one clock
     * reading, such as {@code leaseExpiresAt} and {@code now + lease} of one claim.
     */
    public Duration timeTolerance() {
        return timeTolerance;
    }

    /** The number of threads that race in the fuzz tests. */
    public int fuzzThreads() {
        return fuzzThreads;
    }

    /** How long each fuzz test runs its threads. */
    public Duration fuzzDuration() {
        return fuzzDuration;
    }

    @Override
    public String toString() {
        return "ContractOptions[purgesExpired=" + (purgesExpired == null ? "derived" : purgesExpired)
                + ", tokensSurviveExpiry=" + tokensSurviveExpiry + ", shortLease=" + shortLease
                + ", longLease=" + longLease + ", awaitTimeout=" + awaitTimeout + ", pollInterval=" + pollInterval
                + ", maxClockSkew=" + maxClockSkew + ", timeTolerance=" + timeTolerance
                + ", fuzzThreads=" + fuzzThreads + ", fuzzDuration=" + fuzzDuration + "]";
    }

    /** Builds {@link ContractOptions}. Every setter validates its value and names it when invalid. */
    public static final class Builder {

        private Boolean purgesExpired;
        private boolean tokensSurviveExpiry = true;
        private Duration shortLease = Duration.ofMillis(300);
        private Duration longLease = Duration.ofSeconds(60);
        private Duration awaitTimeout = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofMillis(20);
        private Duration maxClockSkew = Duration.ofSeconds(5);
        private Duration timeTolerance = Duration.ZERO;
        private int fuzzThreads = 16;
        private Duration fuzzDuration = Duration.ofSeconds(2);

        private Builder() {
        }

        /**
         * Sets whether {@code purgeExpired} deletes records and returns their count. Without this call
         * the suite expects purging exactly when {@code capabilities().nativeExpiry()} is false.
         */
        public Builder purgesExpired(boolean purgesExpired) {
            this.purgesExpired = purgesExpired;
            return this;
        }

        /**
         * Sets whether fencing tokens keep increasing after a record expired, {@code true} by default.
         * Set {@code false} for a backend that deletes the token together with an expired record.
         */
        public Builder tokensSurviveExpiry(boolean tokensSurviveExpiry) {
            this.tokensSurviveExpiry = tokensSurviveExpiry;
            return this;
        }

        /** Sets the lease and retention that expiry tests wait out, 300 ms by default. Raise it for a slow backend. */
        public Builder shortLease(Duration shortLease) {
            this.shortLease = requirePositive(shortLease, "shortLease");
            return this;
        }

        /** Sets the lease and retention of records that must outlive a test, 60 s by default. */
        public Builder longLease(Duration longLease) {
            this.longLease = requirePositive(longLease, "longLease");
            return this;
        }

        /** Sets the maximum wait for an expiry, 10 s by default. */
        public Builder awaitTimeout(Duration awaitTimeout) {
            this.awaitTimeout = requirePositive(awaitTimeout, "awaitTimeout");
            return this;
        }

        /** Sets the pause between polls while waiting, 20 ms by default. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = requirePositive(pollInterval, "pollInterval");
            return this;
        }

        /** Sets the largest accepted difference between the store's clock and the client's, 5 s by default. */
        public Builder maxClockSkew(Duration maxClockSkew) {
            this.maxClockSkew = requireNotNegative(maxClockSkew, "maxClockSkew");
            return this;
        }

        /**
         * Sets how far apart two times that the store derives from one clock reading may be, zero by
         * default. Raise it for a backend that rounds times, such as one that stores seconds.
         */
        public Builder timeTolerance(Duration timeTolerance) {
            this.timeTolerance = requireNotNegative(timeTolerance, "timeTolerance");
            return this;
        }

        /** Sets the number of racing threads in the fuzz tests, 16 by default and at least 2. */
        public Builder fuzzThreads(int fuzzThreads) {
            if (fuzzThreads < 2) {
                throw new IllegalArgumentException("fuzzThreads must be at least 2 so that threads race, got " + fuzzThreads);
            }
            this.fuzzThreads = fuzzThreads;
            return this;
        }

        /** Sets how long each fuzz test runs, 2 s by default. */
        public Builder fuzzDuration(Duration fuzzDuration) {
            this.fuzzDuration = requirePositive(fuzzDuration, "fuzzDuration");
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException when the long lease is not at least ten short leases, or the
         *                                  await timeout is not longer than the short lease
         */
        public ContractOptions build() {
            if (longLease.compareTo(shortLease.multipliedBy(10)) < 0) {
                // Tests that wait out a short lease rely on long records staying alive meanwhile.
                throw new IllegalArgumentException("longLease must be at least 10 times shortLease, got longLease="
                        + longLease + " and shortLease=" + shortLease);
            }
            if (awaitTimeout.compareTo(shortLease) <= 0) {
                throw new IllegalArgumentException("awaitTimeout must be longer than shortLease, got awaitTimeout="
                        + awaitTimeout + " and shortLease=" + shortLease);
            }
            return new ContractOptions(this);
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static Duration requireNotNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must be zero or positive, got " + value);
            }
            return value;
        }
    }
}
