package dev.idem.testkit;

import dev.idem.spi.RecordStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sequential reference that {@link IdempotencyStoreModelProperties} compares a store with.
 * Leases and retention outlive a property's run, so the model ignores time: a record changes
 * only through claim, complete, release and extend.
 *
 * <p>The model cannot know which token values a store issues, only that they increase, so it
 * records the tokens the store returned and checks the order.
 */
final class StoreModel {

    /**
     * The expected state of one key.
     *
     * @param leaseExpiresAt the lease end the store last returned, or {@code 0} once completed
     * @param result         the stored result of a completed record, or {@code null} while in progress
     */
    record ModelRecord(RecordStatus status, long fencingToken, String fingerprint, String owner,
                       byte[] result, long leaseExpiresAt) {
    }

    private final Map<Integer, ModelRecord> records = new HashMap<>();
    private final Map<Integer, List<Long>> issuedTokens = new HashMap<>();

    /** Returns the expected record of a key, or empty when none is live. */
    Optional<ModelRecord> record(int key) {
        return Optional.ofNullable(records.get(key));
    }

    /** Returns the highest token issued for a key, or 0 when none was. */
    long highestToken(int key) {
        List<Long> issued = issuedTokens.getOrDefault(key, List.of());
        return issued.isEmpty() ? 0 : issued.get(issued.size() - 1);
    }

    /** Returns the token that an operation presents for a key. */
    long token(int key, ModelOperation.TokenChoice choice) {
        List<Long> issued = issuedTokens.getOrDefault(key, List.of());
        if (choice == ModelOperation.TokenChoice.CURRENT) {
            return issued.isEmpty() ? 1 : issued.get(issued.size() - 1);
        }
        return issued.size() < 2 ? 0 : issued.get(issued.size() - 2);
    }

    /** Tells whether a key has an in-progress record under {@code token}. */
    boolean isHeldBy(int key, long token) {
        ModelRecord record = records.get(key);
        return record != null && record.status() == RecordStatus.IN_PROGRESS && record.fencingToken() == token;
    }

    void claimed(int key, long token, String fingerprint, String owner, long leaseExpiresAt) {
        issuedTokens.computeIfAbsent(key, k -> new ArrayList<>()).add(token);
        records.put(key, new ModelRecord(RecordStatus.IN_PROGRESS, token, fingerprint, owner, null, leaseExpiresAt));
    }

    void completed(int key, byte[] result) {
        ModelRecord held = records.get(key);
        records.put(key, new ModelRecord(RecordStatus.COMPLETED, held.fencingToken(), held.fingerprint(),
                held.owner(), result.clone(), 0L));
    }

    void released(int key) {
        records.remove(key);
    }

    void extended(int key, long leaseExpiresAt) {
        ModelRecord held = records.get(key);
        records.put(key, new ModelRecord(RecordStatus.IN_PROGRESS, held.fencingToken(), held.fingerprint(),
                held.owner(), null, leaseExpiresAt));
    }
}
