package dev.idem.spi;

/**
 * What a store supports and where its limits are. The core reads these to hash long keys,
 * to reject results before a write fails, and the contract suite reads them to pick tests.
 *
 * @param backend        a short name for logs and messages, such as {@code redis} or {@code postgresql}
 * @param maxKeyBytes    the longest storage key, in UTF-8 bytes, that the backend indexes; longer keys are hashed
 * @param maxResultBytes the largest encoded result the backend stores
 * @param nativeExpiry   whether the backend deletes expired records by itself; when false, call {@code purgeExpired}
 * @param serverClock    whether leases and expiry are decided by the server's clock rather than the client's
 */
public record StoreCapabilities(
        String backend, int maxKeyBytes, int maxResultBytes, boolean nativeExpiry, boolean serverClock) {

    public StoreCapabilities {
        if (maxKeyBytes < 80) {
            // Hashed keys are the namespace plus a 64-character hex digest, so a smaller limit cannot hold them.
            throw new IllegalArgumentException("maxKeyBytes must be at least 80, got " + maxKeyBytes);
        }
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be positive, got " + maxResultBytes);
        }
    }
}
