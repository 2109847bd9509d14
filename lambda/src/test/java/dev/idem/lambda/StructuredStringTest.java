package dev.idem.lambda;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructuredStringTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc|abc",
            "'  abc  '|abc",
            "\"abc\"|abc",
            "'  \"a b\"  '|a b",
            "\"a\\\"b\"|a\"b",
            "\"a\\\\b\"|a\\b",
            "8e03978e-40d5-43e8-bc93-6894a57f9324|8e03978e-40d5-43e8-bc93-6894a57f9324",
    })
    void validValuesParse(String header, String key) {
        assertThat(StructuredString.parse(header)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "\"a\"b\"", "\"a\\nb\"", "\"a\u00e9\"", "\"a\\\""})
    void invalidQuotedValuesAreRejected(String header) {
        assertThatThrownBy(() -> StructuredString.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankValuesHaveNoKey(String header) {
        assertThat(StructuredString.parse(header)).isNull();
    }
}
