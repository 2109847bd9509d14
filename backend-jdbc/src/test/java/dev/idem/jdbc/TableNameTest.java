package dev.idem.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table names are written into SQL, so only plain identifiers pass. */
class TableNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"idem_records", "_t", "app.idem_records", "T1", "s.t_2"})
    void plainIdentifiersAccepted(String name) {
        assertThat(TableName.parse(name).qualified()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1table", "a.b.c", "a..b", ".a", "a.", "my-table", "t; DROP TABLE users",
            "t--", "\"quoted\"", "t ", "tæble", "a_very_long_table_name_that_goes_past_the_limit_of_48"})
    void otherNamesRejected(String name) {
        assertThatThrownBy(() -> TableName.parse(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"idem_records", "app.idem_records"})
    void indexNameHasNoSchema(String name) {
        assertThat(TableName.parse(name).expiryIndex()).isEqualTo("idem_records_expires_at_idx");
    }
}
