package dev.idem.testkit;

import dev.idem.spi.StoreCapabilities;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractOptionsTest {

    private static final StoreCapabilities NATIVE_EXPIRY = new StoreCapabilities("redis", 1024, 1024, true, true);
    private static final StoreCapabilities NO_NATIVE_EXPIRY = new StoreCapabilities("postgresql", 1024, 1024, false, true);

    @Test
    void defaults() {
        ContractOptions options = ContractOptions.defaults();

        assertThat(options.purgesExpired()).isEmpty();
        assertThat(options.tokensSurviveExpiry()).isTrue();
        assertThat(options.shortLease()).isEqualTo(Duration.ofMillis(300));
        assertThat(options.longLease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.awaitTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.maxClockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.timeTolerance()).isEqualTo(Duration.ZERO);
        assertThat(options.fuzzThreads()).isEqualTo(16);
        assertThat(options.fuzzDuration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void purgingDerivedFromNativeExpiry() {
        ContractOptions options = ContractOptions.defaults();

        assertThat(options.purgesExpired(NATIVE_EXPIRY)).isFalse();
        assertThat(options.purgesExpired(NO_NATIVE_EXPIRY)).isTrue();
    }

    @Test
    void purgingSetOverridesCapabilities() {
        ContractOptions options = ContractOptions.builder().purgesExpired(false).build();

        assertThat(options.purgesExpired(NO_NATIVE_EXPIRY)).isFalse();
    }

    @Test
    void toBuilderKeepsValues() {
        ContractOptions original = ContractOptions.builder()
                .purgesExpired(true)
                .tokensSurviveExpiry(false)
                .shortLease(Duration.ofSeconds(1))
                .longLease(Duration.ofMinutes(2))
                .awaitTimeout(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .maxClockSkew(Duration.ofSeconds(1))
                .timeTolerance(Duration.ofMillis(5))
                .fuzzThreads(8)
                .fuzzDuration(Duration.ofSeconds(3))
                .build();

        ContractOptions copy = original.toBuilder().build();

        assertThat(copy).hasToString(original.toString());
    }

    @Test
    void shortLongLeaseRejected() {
        ContractOptions.Builder builder = ContractOptions.builder().shortLease(Duration.ofSeconds(10));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longLease must be at least 10 times shortLease");
    }

    @Test
    void awaitTimeoutBelowLeaseRejected() {
        ContractOptions.Builder builder = ContractOptions.builder().awaitTimeout(Duration.ofMillis(300));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("awaitTimeout must be longer than shortLease");
    }

    @Test
    void nonPositiveDurationRejected() {
        assertThatThrownBy(() -> ContractOptions.builder().shortLease(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shortLease must be positive, got PT0S");
    }

    @Test
    void negativeSkewRejected() {
        assertThatThrownBy(() -> ContractOptions.builder().maxClockSkew(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxClockSkew must be zero or positive");
    }

    @Test
    void singleFuzzThreadRejected() {
        assertThatThrownBy(() -> ContractOptions.builder().fuzzThreads(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fuzzThreads must be at least 2");
    }
}
