package dev.idem.dynamodb;

import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteRequest;
import dev.idem.spi.CompleteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clock skew allowance, played by two stores on one table, each with its own clock: a
 * holder, and another client whose clock runs ahead of the holder's. With an allowance of two
 * seconds, the other client takes over a lease, or sees a record expire, only two seconds after
 * its own clock passed the stored time.
 */
class ClockSkewTest {

    private static final Duration ALLOWANCE = Duration.ofSeconds(2);
    private static final long LEASE = 10_000;
    private static final long RETENTION = 30_000;
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock holderClock = new MutableClock(START);
    private final MutableClock otherClock = new MutableClock(START);
    private String table;
    private DynamoDbIdempotencyStore holder;
    private DynamoDbIdempotencyStore other;
    private String key;

    @BeforeEach
    void createStores() {
        table = TestDynamoDb.createTable("skew", DynamoDbTableLayout.defaults());
        holder = store(holderClock, ALLOWANCE);
        other = store(otherClock, ALLOWANCE);
        key = "skew-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @Test
    void leaseNotTakenOverWithinAllowance() {
        ClaimResult.Acquired held = (ClaimResult.Acquired) holder.claim(claim("holder"));
        otherClock.set(START.plusMillis(LEASE + ALLOWANCE.toMillis() - 1));

        ClaimResult result = other.claim(claim("other"));

        assertThat(result).isInstanceOf(ClaimResult.InProgress.class);
        assertThat(((ClaimResult.InProgress) result).record().fencingToken()).isEqualTo(held.fencingToken());
    }

    @Test
    void inProgressNowExcludesAllowance() {
        holder.claim(claim("holder"));
        otherClock.set(START.plusMillis(LEASE));

        ClaimResult.InProgress result = (ClaimResult.InProgress) other.claim(claim("other"));

        // The core's retry-after is leaseExpiresAt - now, so it covers the allowance too.
        assertThat(result.now()).isEqualTo(START.toEpochMilli() + LEASE - ALLOWANCE.toMillis());
        assertThat(result.record().leaseExpiresAt() - result.now()).isEqualTo(ALLOWANCE.toMillis());
    }

    @Test
    void leaseTakenOverAfterAllowance() {
        ClaimResult.Acquired held = (ClaimResult.Acquired) holder.claim(claim("holder"));
        otherClock.set(START.plusMillis(LEASE + ALLOWANCE.toMillis()));

        ClaimResult result = other.claim(claim("other"));

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
        assertThat(((ClaimResult.Acquired) result).takeover()).isTrue();
        assertThat(((ClaimResult.Acquired) result).fencingToken()).isEqualTo(held.fencingToken() + 1);
    }

    @Test
    void holderCompletesUntilOwnClockPassesExpiry() {
        ClaimResult.Acquired held = (ClaimResult.Acquired) holder.claim(claim("holder"));
        holderClock.set(START.plusMillis(RETENTION - 1));

        CompleteResult result = holder.complete(new CompleteRequest(key, held.fencingToken(), new byte[] {1}, RETENTION));

        assertThat(result).isInstanceOf(CompleteResult.Stored.class);
    }

    @Test
    void holderRejectedOnceOwnClockPassesExpiry() {
        ClaimResult.Acquired held = (ClaimResult.Acquired) holder.claim(claim("holder"));
        holderClock.set(START.plusMillis(RETENTION));

        CompleteResult result = holder.complete(new CompleteRequest(key, held.fencingToken(), new byte[] {1}, RETENTION));

        assertThat(result).isInstanceOf(CompleteResult.Rejected.class);
    }

    @Test
    void recordVisibleUntilAllowancePassed() {
        holder.claim(claim("holder"));

        otherClock.set(START.plusMillis(RETENTION + ALLOWANCE.toMillis() - 1));
        boolean presentWithinAllowance = other.get(key).isPresent();
        otherClock.set(START.plusMillis(RETENTION + ALLOWANCE.toMillis()));
        boolean presentAfterAllowance = other.get(key).isPresent();

        assertThat(presentWithinAllowance).isTrue();
        assertThat(presentAfterAllowance).isFalse();
    }

    @Test
    void ttlCoversExpiryPlusAllowance() {
        holder.claim(claim("holder"));

        Map<String, AttributeValue> item = TestDynamoDb.client().getItem(request -> request.tableName(table)
                .consistentRead(true).key(Map.of("id", AttributeValue.fromS(key)))).item();

        long expiresAt = Long.parseLong(item.get("expiresAt").n());
        long ttl = Long.parseLong(item.get("ttl").n());
        assertThat(expiresAt).isEqualTo(START.toEpochMilli() + RETENTION);
        assertThat(ttl * 1000).isGreaterThanOrEqualTo(expiresAt + ALLOWANCE.toMillis());
        assertThat(ttl * 1000).isLessThan(expiresAt + ALLOWANCE.toMillis() + 1000);
    }

    @Test
    void zeroAllowanceTakesOverAtLeaseEnd() {
        DynamoDbIdempotencyStore exact = store(otherClock, Duration.ZERO);
        holder.claim(claim("holder"));
        otherClock.set(START.plusMillis(LEASE));

        ClaimResult result = exact.claim(claim("exact"));

        assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
    }

    private DynamoDbIdempotencyStore store(MutableClock clock, Duration allowance) {
        return DynamoDbIdempotencyStore.builder(TestDynamoDb.client())
                .tableName(table)
                .clock(clock)
                .clockSkewAllowance(allowance)
                .build();
    }

    private ClaimRequest claim(String owner) {
        return new ClaimRequest(key, null, LEASE, RETENTION, owner);
    }
}
