package dev.idem.key;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdempotencyKeysTest {

    private final IdempotencyKeys keys = new IdempotencyKeys("payments", 128);

    @Test
    void shortKeyKeepsNamespacePrefix() {
        assertThat(keys.storageKey("order-42")).isEqualTo("payments:order-42");
    }

    @Test
    void longKeyIsHashedWithReadableNamespace() {
        String storageKey = keys.storageKey("x".repeat(500));

        assertThat(storageKey).startsWith("payments:#sha256:");
        assertThat(storageKey).hasSize("payments:#sha256:".length() + 64);
        assertThat(storageKey.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(128);
    }

    @Test
    void hashedKeysDifferForDifferentInput() {
        assertThat(keys.storageKey("x".repeat(500))).isNotEqualTo(keys.storageKey("x".repeat(501)));
    }

    @Test
    void multibyteKeyIsMeasuredInBytes() {
        String key = "ключ".repeat(20);

        assertThat(key.length()).isLessThan(128);
        assertThat(keys.storageKey(key)).startsWith("payments:#sha256:");
    }

    @Test
    void literalHashPrefixIsHashedToo() {
        String literal = "#sha256:" + "0".repeat(64);

        assertThat(keys.storageKey(literal)).isNotEqualTo("payments:" + literal);
        assertThat(keys.storageKey(literal)).startsWith("payments:#sha256:");
    }

    @Test
    void nullKeyIsRejected() {
        assertThatThrownBy(() -> keys.storageKey(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null")
                .hasMessageContaining("payments");
    }

    @Test
    void blankKeyIsRejected() {
        assertThatThrownBy(() -> keys.storageKey(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void unpairedSurrogateIsRejected() {
        assertThatThrownBy(() -> keys.storageKey("id-\uD83D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void pairedSurrogatesAreAccepted() {
        assertThat(keys.storageKey("key-\uD83D\uDD11")).isEqualTo("payments:key-🔑");
    }

    @Test
    void hugeKeyIsRejected() {
        assertThatThrownBy(() -> keys.storageKey("x".repeat(IdempotencyKeys.MAX_KEY_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the payload");
    }

    @Test
    void namespaceWithColonIsRejected() {
        assertThatThrownBy(() -> new IdempotencyKeys("a:b", 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a:b'");
    }

    @Test
    void namespaceTooLongForBackendIsRejected() {
        assertThatThrownBy(() -> new IdempotencyKeys("n".repeat(40), 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter namespace");
    }
}
