package dev.idem.fingerprint;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFingerprinterTest {

    private final JsonFingerprinter whole = JsonFingerprinter.create();

    @Test
    void fieldOrderDoesNotMatter() {
        assertThat(whole.fingerprint("{\"a\":1,\"b\":{\"x\":true,\"y\":[1,2]}}"))
                .isEqualTo(whole.fingerprint("{\"b\":{\"y\":[1,2],\"x\":true},\"a\":1}"));
    }

    @Test
    void stringAndNumberDiffer() {
        assertThat(whole.fingerprint("{\"amount\":\"123\"}")).isNotEqualTo(whole.fingerprint("{\"amount\":123}"));
    }

    @Test
    void nullMissingAndEmptyDiffer() {
        String withNull = whole.fingerprint("{\"a\":null}");
        String missing = whole.fingerprint("{}");
        String empty = whole.fingerprint("{\"a\":\"\"}");

        assertThat(withNull).isNotEqualTo(missing);
        assertThat(withNull).isNotEqualTo(empty);
        assertThat(missing).isNotEqualTo(empty);
    }

    @Test
    void arrayOrderMatters() {
        assertThat(whole.fingerprint("[1,2]")).isNotEqualTo(whole.fingerprint("[2,1]"));
    }

    @Test
    void equalNumbersMatchAcrossNotation() {
        assertThat(whole.fingerprint("{\"n\":1.0}")).isEqualTo(whole.fingerprint("{\"n\":1}"));
        assertThat(whole.fingerprint("{\"n\":100.0}")).isEqualTo(whole.fingerprint("{\"n\":100}"));
        assertThat(whole.fingerprint("{\"n\":1.5}")).isNotEqualTo(whole.fingerprint("{\"n\":1}"));
    }

    @Test
    void objectsMatchTheirJsonText() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", "o-1");
        payload.put("items", List.of(1, 2));

        assertThat(whole.fingerprint(payload)).isEqualTo(whole.fingerprint("{\"items\":[1,2],\"id\":\"o-1\"}"));
    }

    @Test
    void bytesAreParsedAsJson() {
        assertThat(whole.fingerprint("{\"a\":1}".getBytes())).isEqualTo(whole.fingerprint("{ \"a\" : 1 }"));
    }

    @Test
    void nonJsonTextIsHashedAsText() {
        assertThat(whole.fingerprint("plain text body")).hasSize(64);
        assertThat(whole.fingerprint("plain text body")).isNotEqualTo(whole.fingerprint("plain text body!"));
    }

    @Test
    void selectedFieldsIgnoreOthers() {
        JsonFingerprinter selected = JsonFingerprinter.ofFields("/order/id", "/amount");

        assertThat(selected.fingerprint("{\"order\":{\"id\":7},\"amount\":5,\"traceId\":\"abc\"}"))
                .isEqualTo(selected.fingerprint("{\"amount\":5,\"order\":{\"id\":7,\"note\":\"x\"},\"traceId\":\"def\"}"));
    }

    @Test
    void selectedFieldsDetectChanges() {
        JsonFingerprinter selected = JsonFingerprinter.ofFields("/order/id", "/amount");

        assertThat(selected.fingerprint("{\"order\":{\"id\":7},\"amount\":5}"))
                .isNotEqualTo(selected.fingerprint("{\"order\":{\"id\":7},\"amount\":6}"));
    }

    @Test
    void selectedMissingFieldDiffersFromNull() {
        JsonFingerprinter selected = JsonFingerprinter.ofFields("/amount");

        assertThat(selected.fingerprint("{}")).isNotEqualTo(selected.fingerprint("{\"amount\":null}"));
    }

    @Test
    void invalidPointerIsRejected() {
        assertThatThrownBy(() -> JsonFingerprinter.ofFields("amount"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'amount'");
    }

    @Test
    void customMapperIsUsedForObjects() {
        JsonFingerprinter custom = JsonFingerprinter.create(new ObjectMapper());

        assertThat(custom.fingerprint(Map.of("a", 1))).isEqualTo(whole.fingerprint("{\"a\":1}"));
    }

    @Test
    void bytesFingerprinterRejectsObjects() {
        assertThatThrownBy(() -> Fingerprinters.bytes().fingerprint(List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util");
    }
}
