package dev.idem.redis;

import dev.idem.BackendException;
import dev.idem.CorruptRecordException;
import dev.idem.spi.ClaimResult;
import dev.idem.spi.CompleteResult;
import dev.idem.spi.ExtendResult;
import dev.idem.spi.IdempotencyRecord;
import dev.idem.spi.RecordStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns the replies of the Lua scripts into SPI results. Every reply is an array whose first
 * element names the outcome, as the scripts under {@code dev/idem/redis/scripts} describe.
 */
final class RedisReplies {

    static final String BACKEND = "redis";

    private final RedisKeys keys;

    RedisReplies(RedisKeys keys) {
        this.keys = keys;
    }

    ClaimResult claim(String key, Object reply) {
        List<?> items = items("claim", key, reply);
        switch (outcome(items)) {
            case "ACQUIRED":
                return new ClaimResult.Acquired(number(items, 1), number(items, 2), number(items, 3), number(items, 4) == 1);
            case "RECORD":
                IdempotencyRecord record = record("claim", key, items);
                long now = number(items, 1);
                return record.isCompleted() ? new ClaimResult.Completed(record, now) : new ClaimResult.InProgress(record, now);
            default:
                throw unexpected("claim", key, items);
        }
    }

    CompleteResult complete(String key, Object reply) {
        List<?> items = items("complete", key, reply);
        switch (outcome(items)) {
            case "STORED":
                return new CompleteResult.Stored(number(items, 1), number(items, 2));
            case "REJECTED":
                return new CompleteResult.Rejected(optionalRecord("complete", key, items.get(1)));
            default:
                throw unexpected("complete", key, items);
        }
    }

    ExtendResult extend(String key, Object reply) {
        List<?> items = items("extend", key, reply);
        switch (outcome(items)) {
            case "EXTENDED":
                return new ExtendResult.Extended(number(items, 1), number(items, 2));
            case "REJECTED":
                return new ExtendResult.Rejected(optionalRecord("extend", key, items.get(1)));
            default:
                throw unexpected("extend", key, items);
        }
    }

    boolean release(String key, Object reply) {
        List<?> items = items("release", key, reply);
        switch (outcome(items)) {
            case "RELEASED":
                return true;
            case "NOT_HELD":
                return false;
            default:
                throw unexpected("release", key, items);
        }
    }

    IdempotencyRecord get(String key, Object reply) {
        return optionalRecord("get", key, reply);
    }

    /** Parses a RECORD or NONE reply and returns {@code null} for NONE. */
    private IdempotencyRecord optionalRecord(String operation, String key, Object reply) {
        List<?> items = items(operation, key, reply);
        switch (outcome(items)) {
            case "RECORD":
                return record(operation, key, items);
            case "NONE":
                return null;
            default:
                throw unexpected(operation, key, items);
        }
    }

    /** Parses {@code RECORD, now, status, token, lease, exp, fp, result, created, completed, owner}. */
    private static IdempotencyRecord record(String operation, String key, List<?> items) {
        if (items.size() != 11) {
            throw unexpected(operation, key, items);
        }
        RecordStatus status = RecordStatus.valueOf(text(items.get(2)));
        return new IdempotencyRecord(key, status, number(items, 3), number(items, 4), number(items, 5),
                optionalText(items.get(6)), (byte[]) items.get(7), number(items, 8), number(items, 9),
                optionalText(items.get(10)));
    }

    /** Checks that the reply is an array and turns a CORRUPT reply into {@link CorruptRecordException}. */
    private List<?> items(String operation, String key, Object reply) {
        if (!(reply instanceof List<?> items) || items.isEmpty()) {
            throw new BackendException(BACKEND, operation, key, "unexpected reply from the Idem script: " + reply
                    + ". Check that nothing else loaded a script under the same SHA-1.");
        }
        if ("CORRUPT".equals(text(items.get(0)))) {
            throw corrupt(operation, key, text(items.get(1)), text(items.get(2)));
        }
        return items;
    }

    private CorruptRecordException corrupt(String operation, String key, String problem, String detail) {
        String recordKey = keys.recordKey(key);
        String message;
        switch (problem) {
            case "type":
                message = "Invalid value at Redis key " + recordKey + ": it is a " + detail + ", not an Idem record (a hash)."
                        + " Idem left it untouched. Delete it with DEL " + recordKey
                        + " if it is stale, or configure another key prefix if another application owns it.";
                break;
            case "field":
                message = "Redis hash " + recordKey + " is not an Idem record: its field '" + detail
                        + "' is missing or invalid. Idem left it untouched. Delete it with DEL " + recordKey
                        + " if it is stale, or configure another key prefix if another application owns it.";
                break;
            default:
                String counterKey = keys.counterKey(key);
                message = "Invalid value at Redis key " + counterKey + ": it is a " + detail + " that is not an Idem fencing-token"
                        + " counter (an integer string). Idem left it untouched. Delete it with DEL " + counterKey
                        + " if it is stale, or configure another key prefix if another application owns it.";
                break;
        }
        return new CorruptRecordException(BACKEND, operation, key, message);
    }

    private static String outcome(List<?> items) {
        return text(items.get(0));
    }

    private static BackendException unexpected(String operation, String key, List<?> items) {
        return new BackendException(BACKEND, operation, key, "unexpected reply from the Idem script with "
                + items.size() + " elements, starting with " + text(items.get(0))
                + ". Check that every application instance uses the same idem-redis version.");
    }

    private static long number(List<?> items, int index) {
        Object item = items.get(index);
        if (item instanceof Long value) {
            return value;
        }
        return Long.parseLong(text(item));
    }

    private static String text(Object item) {
        if (item instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(item);
    }

    private static String optionalText(Object item) {
        return item == null ? null : text(item);
    }
}
