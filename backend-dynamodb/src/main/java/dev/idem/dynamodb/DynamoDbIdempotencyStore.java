package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.StoreCapabilities;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An idempotency store on Amazon DynamoDB. Each operation is one conditional write or one
 * strongly consistent read of a single item, so one network round trip on the happy path.
 *
 * <h2>Claim</h2>
 * A claim is one {@code UpdateItem} with {@code ReturnValues = ALL_OLD} and
 * {@code ReturnValuesOnConditionCheckFailure = ALL_OLD}:
 * <pre>
 * SET    status = IN_PROGRESS, fencingToken = if_not_exists(fencingToken, :now) + 1,
 *        leaseExpiresAt = :now + lease, expiresAt = :now + max(retention, lease), ttl = ...,
 *        createdAt = :now, fingerprint = :fp, owner = :owner
 * REMOVE result, resultEncoding, completedAt
 * IF     attribute_not_exists(id)
 *        OR expiresAt &lt;= :decisionNow
 *        OR (status = IN_PROGRESS AND leaseExpiresAt &lt;= :decisionNow
 *            AND (attribute_not_exists(fingerprint) OR fingerprint = :fp))
 * </pre>
 * When the request has no fingerprint, the update removes the stored one and the last clause
 * becomes {@code attribute_not_exists(fingerprint)}. A takeover must keep a stored fingerprint,
 * so that later mismatches are still caught, but one update cannot keep or remove it depending
 * on the item. So a claim without a fingerprint that takes over a record with one sends a second
 * update, whose condition requires that fingerprint. {@code UpdateItem} rather than
 * {@code PutItem}, because
 * an update can compute the new fencing token from the stored one in the same atomic write:
 * a fresh key, an expired record and a takeover all take one round trip, and the token keeps
 * increasing across expiry and release. {@code PutItem} replaces the whole item, so it could
 * only continue the token after reading the item first, which is a second round trip on every
 * takeover and every reuse of an expired key.
 *
 * <p>The old item that {@code ALL_OLD} returns tells the new token (old token plus one) and
 * whether the claim took over a live record. When the condition fails, DynamoDB returns the
 * current item in the {@code ConditionalCheckFailedException}, so a duplicate costs one round
 * trip too. Emulators that ignore {@code ReturnValuesOnConditionCheckFailure}, such as dynalite,
 * return no item; the store then reads it with a strongly consistent {@code GetItem}, and starts
 * the claim over when that item is gone or claimable by then.
 *
 * <p>A key's first item starts its fencing token at the claim's clock reading in milliseconds
 * plus one. The token still rises by exactly one per claim while the item exists, and a key
 * whose item TTL deleted starts again above every token it had before, as long as the clocks
 * are within the skew allowance and the key saw fewer claims than milliseconds passed.
 *
 * <h2>Complete, extend, release</h2>
 * Each is one {@code UpdateItem} conditional on the caller's hold:
 * {@code status = IN_PROGRESS AND fencingToken = :token AND expiresAt > :now}.
 * <ul>
 *   <li>Complete sets {@code COMPLETED}, the result, {@code completedAt}, the new
 *       {@code expiresAt} and {@code ttl}, and removes {@code leaseExpiresAt}. When refused,
 *       the current item comes back through {@code ALL_OLD}, or through a read on emulators.</li>
 *   <li>Extend sets {@code leaseExpiresAt} when {@code expiresAt} already covers the new lease.
 *       Otherwise a second conditional update moves {@code expiresAt} and {@code ttl} to the
 *       lease's end too; that happens only when a lease outgrows the record's retention.</li>
 *   <li>Release does not delete the item: it sets {@code status = RELEASED} and
 *       {@code expiresAt = 0}, which every reader treats as absent, so that the next claim
 *       continues the fencing token. The item keeps its TTL and DynamoDB deletes it later.</li>
 * </ul>
 *
 * <h2>Time</h2>
 * DynamoDB has no server clock for conditions, so the client's {@link Clock} decides. A record
 * written by another client is judged at {@code decisionNow = now - clockSkewAllowance}: a
 * lease is taken over, and a record counts as expired, only once this client's clock is past the
 * stored time by the allowance. As long as no two clients' clocks differ by more than the
 * allowance, nobody takes over a lease before its holder's own clock says it ended. Results
 * that return a record carry {@code decisionNow} as their {@code now}, so the core's retry-after
 * includes the allowance. The holder's own complete, extend and release compare with the
 * undelayed clock. The TTL attribute is {@code expiresAt} plus the allowance, in seconds rounded
 * up, so TTL never deletes a record that a client with a slower clock still reads as live.
 *
 * <h2>Results</h2>
 * An item holds at most 400 KB. A result that does not fit is compressed with GZIP and marked
 * {@code resultEncoding = gzip}; one that does not fit even compressed completes the record with
 * a "not stored" result and a WARN, so the action does not run again and replays throw
 * {@link dev.idem.ResultNotStoredException}. {@link #capabilities()} reports
 * {@link Builder#maxResultBytes(int)}, 16 MiB by default, so the core passes such results on
 * to be compressed instead of refusing them at 400 KB.
 *
 * <h2>Batches</h2>
 * DynamoDB has no conditional batch write, so {@link #claimAll} and {@link #completeAll} send
 * one request per key with bounded concurrency: on the {@link DynamoDbAsyncClient} when the
 * builder was given one, otherwise on a small thread pool over the sync client. Requests for the
 * same key run in request order, one after another.
 *
 * <p>Failures after the SDK's own retries become {@link dev.idem.BackendException}s whose
 * message contains the AWS error code and request id. The store is thread-safe. See
 * {@link DynamoDbTableLayout} for every attribute and {@link DynamoDbTables} to create a table.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

    /** The backend name in capabilities, logs and exceptions. */
    public static final String BACKEND = "dynamodb";

    private final DynamoDbClient client;
    private final boolean ownsClient;
    private final String tableName;
    private final DynamoDbTableLayout layout;
    private final int maxResultBytes;
    private final Operations operations;
    private final StepRunner runner;
    private final BatchRunner batches;

    private DynamoDbIdempotencyStore(Builder builder, DynamoDbClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.tableName = builder.tableName;
        this.layout = builder.layout;
        this.maxResultBytes = builder.maxResultBytes;

        long skewMillis = builder.clockSkewAllowance.toMillis();
        ResultCompression compression = new ResultCompression(builder.maxResultBytes);
        RecordItems items = new RecordItems(layout, compression);
        ItemRequests requests = new ItemRequests(tableName, layout, skewMillis);
        this.operations = new Operations(requests, items, new ResultSizing(layout, compression),
                new DynamoDbErrors(tableName), builder.clock, skewMillis);
        this.runner = new StepRunner(client, builder.asyncClient);
        this.batches = new BatchRunner(runner, builder.batchConcurrency);
    }

    /**
     * Starts a builder over a client the application made, which the store never closes. This
     * is the usual way in AWS Lambda, where one client serves the whole function.
     */
    public static Builder builder(DynamoDbClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /** Starts a builder that makes its own client from a region and an optional endpoint, and closes it on {@link #close()}. */
    public static Builder builder() {
        return new Builder(null);
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        Objects.requireNonNull(request, "request");
        return runner.run(operations.claim(request));
    }

    @Override
    public CompleteResult complete(CompleteRequest request) {
        Objects.requireNonNull(request, "request");
        return runner.run(operations.complete(request));
    }

    @Override
    public boolean release(String key, long fencingToken) {
        Objects.requireNonNull(key, "key");
        return runner.run(operations.release(key, fencingToken));
    }

    @Override
    public ExtendResult extend(String key, long fencingToken, long leaseMillis) {
        Objects.requireNonNull(key, "key");
        if (leaseMillis < 0) {
            throw new IllegalArgumentException("leaseMillis must be zero or positive, got " + leaseMillis);
        }
        return runner.run(operations.extend(key, fencingToken, leaseMillis));
    }

    @Override
    public Optional<IdempotencyRecord> get(String key) {
        Objects.requireNonNull(key, "key");
        return runner.run(operations.get(key));
    }

    /**
     * Claims many keys with bounded concurrency and returns the results in request order. A key
     * that appears twice is claimed by its first request; the later one sees that claim.
     *
     * @throws dev.idem.BackendException the earliest failure in request order, after every other
     *                                   request finished; claims that succeeded meanwhile hold their
     *                                   keys until their leases end
     */
    @Override
    public List<ClaimResult> claimAll(List<ClaimRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        return batches.run("claimAll", requests, ClaimRequest::key, operations::claim);
    }

    /**
     * Completes many claims with bounded concurrency and returns the results in request order.
     *
     * @throws dev.idem.BackendException the earliest failure in request order, after every other
     *                                   request finished
     */
    @Override
    public List<CompleteResult> completeAll(List<CompleteRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        return batches.run("completeAll", requests, CompleteRequest::key, operations::complete);
    }

    /** Returns {@code 0}: DynamoDB TTL deletes expired items, and reads skip them until it does. */
    @Override
    public int purgeExpired(int limit) {
        return 0;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(BACKEND, layout.maxKeyBytes(), maxResultBytes, true, false);
    }

    /** Returns the table this store reads and writes. */
    public String tableName() {
        return tableName;
    }

    /** Returns the attribute names and key layout of the table. */
    public DynamoDbTableLayout layout() {
        return layout;
    }

    /** Stops the batch threads, and closes the client when the builder made it. */
    @Override
    public void close() {
        batches.close();
        if (ownsClient) {
            client.close();
        }
    }

    /**
     * Builds a {@link DynamoDbIdempotencyStore}. Only the table name is required; every other
     * setting has a default that suits production.
     */
    public static final class Builder {

        private final DynamoDbClient client;
        private DynamoDbAsyncClient asyncClient;
        private String tableName;
        private DynamoDbTableLayout layout = DynamoDbTableLayout.defaults();
        private Clock clock = Clock.systemUTC();
        private Duration clockSkewAllowance = Duration.ofSeconds(1);
        private int batchConcurrency = 16;
        private int maxResultBytes = 16 * 1024 * 1024;
        private Region region;
        private URI endpointOverride;
        private AwsCredentialsProvider credentialsProvider;
        private SdkHttpClient.Builder<?> httpClientBuilder;
        private ClientOverrideConfiguration overrideConfiguration;

        private Builder(DynamoDbClient client) {
            this.client = client;
        }

        /** Sets the table name; required. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** Sets the attribute names and key layout; {@link DynamoDbTableLayout#defaults()} by default. */
        public Builder layout(DynamoDbTableLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * Sets an async client that {@link #claimAll} and {@link #completeAll} send their requests
         * on, so that a batch needs no threads of its own. The store never closes it.
         */
        public Builder asyncClient(DynamoDbAsyncClient asyncClient) {
            this.asyncClient = Objects.requireNonNull(asyncClient, "asyncClient");
            return this;
        }

        /** Sets the clock that decides leases and expiry; the system clock in UTC by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the largest difference expected between the clocks of any two clients of the table,
         * 1 second by default. A client takes over another's lease, or treats its record as
         * expired, only once its own clock is this far past the stored time. Larger values delay
         * takeovers and expiry by that much; zero trusts every client's clock exactly.
         */
        public Builder clockSkewAllowance(Duration allowance) {
            Objects.requireNonNull(allowance, "clockSkewAllowance");
            if (allowance.isNegative()) {
                throw new IllegalArgumentException("clockSkewAllowance must be zero or positive, got " + allowance);
            }
            this.clockSkewAllowance = allowance;
            return this;
        }

        /**
         * Sets how many keys a batch sends at once, 16 by default. Keep it at or below the HTTP
         * client's connection pool size (50 for the SDK's Apache client).
         */
        public Builder batchConcurrency(int batchConcurrency) {
            if (batchConcurrency < 1) {
                throw new IllegalArgumentException("batchConcurrency must be at least 1, got " + batchConcurrency);
            }
            this.batchConcurrency = batchConcurrency;
            return this;
        }

        /**
         * Sets the largest encoded result the store accepts, 16 MiB by default. Results above the
         * 400 KB item limit are compressed, or stored as "not stored" when they do not fit even
         * then, so this limit only bounds the memory and time spent trying to compress.
         */
        public Builder maxResultBytes(int maxResultBytes) {
            if (maxResultBytes <= 0) {
                throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
            }
            this.maxResultBytes = maxResultBytes;
            return this;
        }

        /** Sets the region of the client the builder makes; the SDK's default region chain when unset. */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Sets the endpoint of the client the builder makes, such as {@code http://127.0.0.1:8000} for a local server. */
        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** Sets the credentials of the client the builder makes; the SDK's default chain when unset. */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
            return this;
        }

        /** Sets the HTTP client of the client the builder makes; the SDK's Apache client by default. */
        public Builder httpClientBuilder(SdkHttpClient.Builder<?> httpClientBuilder) {
            this.httpClientBuilder = Objects.requireNonNull(httpClientBuilder, "httpClientBuilder");
            return this;
        }

        /** Sets timeouts, retries and interceptors of the client the builder makes. */
        public Builder overrideConfiguration(ClientOverrideConfiguration overrideConfiguration) {
            this.overrideConfiguration = Objects.requireNonNull(overrideConfiguration, "overrideConfiguration");
            return this;
        }

        /**
         * Builds the store.
         *
         * @throws IllegalArgumentException when the table name is missing or blank
         * @throws IllegalStateException    when client settings were given together with a client
         */
        public DynamoDbIdempotencyStore build() {
            if (tableName == null || tableName.isBlank()) {
                throw new IllegalArgumentException("Missing tableName: set the DynamoDB table that stores the records");
            }
            if (client != null) {
                if (region != null || endpointOverride != null || credentialsProvider != null || httpClientBuilder != null
                        || overrideConfiguration != null) {
                    throw new IllegalStateException("region, endpointOverride, credentialsProvider, httpClientBuilder and"
                            + " overrideConfiguration configure a client the builder makes; set them on your own"
                            + " DynamoDbClient instead, or use DynamoDbIdempotencyStore.builder() without a client");
                }
                return new DynamoDbIdempotencyStore(this, client, false);
            }
            return new DynamoDbIdempotencyStore(this, newClient(), true);
        }

        private DynamoDbClient newClient() {
            DynamoDbClientBuilder clientBuilder = DynamoDbClient.builder()
                    .httpClientBuilder(httpClientBuilder != null ? httpClientBuilder : ApacheHttpClient.builder());
            if (region != null) {
                clientBuilder.region(region);
            }
            if (endpointOverride != null) {
                clientBuilder.endpointOverride(endpointOverride);
            }
            if (credentialsProvider != null) {
                clientBuilder.credentialsProvider(credentialsProvider);
            }
            if (overrideConfiguration != null) {
                clientBuilder.overrideConfiguration(overrideConfiguration);
            }
            return clientBuilder.build();
        }
    }
}
