package dev.idem.jdbc;

import dev.idem.CorruptRecordException;
import dev.idem.spi.ClaimRequest;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads records from result sets and holds the rules that every dialect applies to a record it
 * read, so that the SQL and the Java side decide alike.
 */
final class RecordRows {

    /** The number of columns that {@link #columns(String)} lists. */
    static final int COLUMN_COUNT = 9;

    private RecordRows() {
    }

    /**
     * Lists the record's columns, except the key, each prefixed by {@code alias}, in the order
     * that {@link #read} expects.
     */
    static String columns(String alias) {
        return alias + "status, " + alias + "fencing_token, " + alias + "lease_expires_at, " + alias + "expires_at, "
                + alias + "fingerprint, " + alias + "result, " + alias + "created_at, " + alias + "completed_at, "
                + alias + "owner";
    }

    /**
     * Reads the record whose columns start at {@code first}, or returns {@code null} when the row
     * contains none, as after a LEFT JOIN that found nothing. Expired records are returned as they are.
     *
     * @throws CorruptRecordException when a column contains a value that no Idem record has
     */
    static IdempotencyRecord read(ResultSet rows, int first, String key, String backend, String operation)
            throws SQLException {
        String statusText = rows.getString(first);
        if (statusText == null) {
            return null;
        }

        RecordStatus status;
        try {
            status = RecordStatus.valueOf(statusText);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException(backend, operation, key, "the status column contains '" + statusText
                    + "', expected IN_PROGRESS or COMPLETED", e);
        }

        long fencingToken = rows.getLong(first + 1);
        long leaseExpiresAt = rows.getLong(first + 2);
        long expiresAt = rows.getLong(first + 3);
        String fingerprint = rows.getString(first + 4);
        byte[] result = rows.getBytes(first + 5);
        long createdAt = rows.getLong(first + 6);
        long completedAt = rows.getLong(first + 7);
        String owner = rows.getString(first + 8);

        if (fencingToken <= 0) {
            throw new CorruptRecordException(backend, operation, key, "the fencing_token column contains "
                    + fencingToken + ", expected a positive number");
        }
        if (status == RecordStatus.COMPLETED && result == null) {
            throw new CorruptRecordException(backend, operation, key,
                    "the record is COMPLETED but its result column is NULL");
        }
        return new IdempotencyRecord(key, status, fencingToken, leaseExpiresAt, expiresAt, fingerprint,
                status == RecordStatus.COMPLETED ? result : null, createdAt, completedAt, owner);
    }

    /** Returns the record when it is live at {@code now}, else {@code null}, because expired records are absent. */
    static IdempotencyRecord live(IdempotencyRecord record, long now) {
        return record == null || record.isExpiredAt(now) ? null : record;
    }

    /**
     * Tells whether {@code request} may take over the live record {@code current} at {@code now}:
     * its lease is over and the fingerprints match, a {@code null} fingerprint matching any.
     */
    static boolean takeoverAllowed(IdempotencyRecord current, ClaimRequest request, long now) {
        return current.isLeaseOverAt(now)
                && (current.fingerprint() == null || request.fingerprint() == null
                || current.fingerprint().equals(request.fingerprint()));
    }

    /** Tells whether a claim at {@code now} would acquire the key, given the record it sees. */
    static boolean claimable(IdempotencyRecord current, ClaimRequest request, long now) {
        return current == null || current.isExpiredAt(now) || takeoverAllowed(current, request, now);
    }

    /** Returns the outcome of a claim that found the live record {@code current} and did not acquire. */
    static ClaimResult existing(IdempotencyRecord current, long now) {
        return current.isCompleted()
                ? new ClaimResult.Completed(current, now)
                : new ClaimResult.InProgress(current, now);
    }

    /** Tells whether {@code record} is live at {@code now} and held under {@code fencingToken}. */
    static boolean heldBy(IdempotencyRecord record, long fencingToken, long now) {
        return record != null
                && !record.isExpiredAt(now)
                && record.status() == RecordStatus.IN_PROGRESS
                && record.fencingToken() == fencingToken;
    }
}
