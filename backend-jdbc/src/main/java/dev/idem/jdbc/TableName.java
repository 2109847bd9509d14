package dev.idem.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated table name, optionally prefixed by a schema, such as {@code idem_records} or
 * {@code app.idem_records}.
 *
 * <p>The name is written into SQL text, because JDBC cannot bind identifiers as parameters. Each
 * part must therefore match {@code [A-Za-z_][A-Za-z0-9_]*}, which leaves no room for quotes,
 * comments or statement separators. Names are used unquoted, so PostgreSQL and H2 fold them to
 * their usual case exactly as they do in hand-written DDL.
 */
final class TableName {

    /** Leaves room for the {@code _expires_at_idx} suffix within PostgreSQL's 63-byte identifier limit. */
    static final int MAX_PART_LENGTH = 48;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_PART_LENGTH - 1) + "}");

    private final String schema;
    private final String table;

    private TableName(String schema, String table) {
        this.schema = schema;
        this.table = table;
    }

    /**
     * Parses {@code table} or {@code schema.table}.
     *
     * @throws IllegalArgumentException when a part is empty, too long or contains other characters
     */
    static TableName parse(String name) {
        Objects.requireNonNull(name, "table");
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw invalid(name);
        }
        for (String part : parts) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw invalid(name);
            }
        }
        return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
    }

    /** The name as written in SQL, schema included. */
    String qualified() {
        return schema == null ? table : schema + "." + table;
    }

    /** The name of the index on {@code expires_at}; indexes live in the table's schema, so it has no prefix. */
    String expiryIndex() {
        return table + "_expires_at_idx";
    }

    @Override
    public String toString() {
        return qualified();
    }

    private static IllegalArgumentException invalid(String name) {
        return new IllegalArgumentException("Invalid table name '" + name + "': use letters, digits and underscores,"
                + " starting with a letter or underscore, at most " + MAX_PART_LENGTH
                + " characters, optionally prefixed by a schema as schema.table");
    }
}
