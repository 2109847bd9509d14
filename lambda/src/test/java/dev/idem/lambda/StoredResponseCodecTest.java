package dev.idem.lambda;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredResponseCodecTest {

    private final StoredResponseCodec codec = StoredResponseCodec.INSTANCE;

    @Test
    void fullResponseRoundTrips() {
        StoredResponse response = new StoredResponse(201, Map.of("Content-Type", "application/json", "ü", "ä"),
                Map.of("Link", List.of("<a>", "<b>")), List.of("session=1"), "{\"id\":\"€42\"}", true);

        assertThat(codec.decode(codec.encode(response))).isEqualTo(response);
    }

    @Test
    void nullPartsRoundTrip() {
        StoredResponse response = new StoredResponse(204, null, null, null, null, false);

        assertThat(codec.decode(codec.encode(response))).isEqualTo(response);
    }

    @Test
    void nullEntriesRoundTrip() {
        StoredResponse response = new StoredResponse(200, null, null, Arrays.asList("a", null), "", false);

        assertThat(codec.decode(codec.encode(response))).isEqualTo(response);
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] encoded = codec.encode(new StoredResponse(200, null, null, null, "ok", false));
        encoded[0] = 9;

        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void truncatedBytesAreRejected() {
        byte[] encoded = codec.encode(new StoredResponse(200, Map.of("a", "b"), null, null, "ok", false));

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeCountIsRejected() {
        byte[] encoded = codec.encode(new StoredResponse(200, null, null, null, null, false));
        // The headers count starts after version (1), status (4), flags (1) and the null body (4).
        encoded[10] = 0x7f;

        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entries");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] encoded = codec.encode(new StoredResponse(200, null, null, null, null, false));

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(encoded, encoded.length + 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected bytes");
    }
}
