package dev.idem.key;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.idem.internal.Hashing;

/**
 * Builds storage keys from a namespace and a caller's key.
 *
 * <p>The storage key is {@code namespace + ":" + key}. A namespace may not contain {@code ':'},
 * so two namespaces never share a storage key. When the storage key would be longer than the
 * backend can index, the caller's key is replaced by {@code "#sha256:" + hex(SHA-256(key))},
 * keeping the namespace readable. A caller's key that itself starts with {@code "#sha256:"} is
 * hashed too, so a literal key can never collide with the hashed form of another.
 */
public final class IdempotencyKeys {

    /** The prefix that marks a hashed key. */
    public static final String HASHED_PREFIX = "#sha256:";

    /**
     * The longest key accepted, in UTF-8 bytes. Longer input is almost always a payload passed
     * by mistake where an id was meant, so it is rejected rather than hashed.
     */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    private final String namespace;
    private final int maxStorageKeyBytes;

    /**
     * @param namespace          1 to 64 characters from {@code [A-Za-z0-9._-]}
     * @param maxStorageKeyBytes the longest storage key the backend indexes, in UTF-8 bytes
     */
    public IdempotencyKeys(String namespace, int maxStorageKeyBytes) {
        validateNamespace(namespace);
        int hashedLength = namespace.length() + 1 + HASHED_PREFIX.length() + 64;
        if (maxStorageKeyBytes < hashedLength) {
            throw new IllegalArgumentException("The backend's key limit of " + maxStorageKeyBytes
                    + " bytes cannot hold a hashed key for namespace '" + namespace + "' (" + hashedLength
                    + " bytes); use a shorter namespace.");
        }
        this.namespace = namespace;
        this.maxStorageKeyBytes = maxStorageKeyBytes;
    }

    /**
     * Checks a namespace.
     *
     * @throws IllegalArgumentException when it is null, empty, too long or contains other characters
     */
    public static void validateNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("Invalid namespace '" + namespace
                    + "': use 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'.");
        }
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Returns the storage key for a caller's key.
     *
     * @throws IllegalArgumentException when the key is null, empty or blank, contains an unpaired
     *                                  surrogate (which UTF-8 cannot encode, so two such keys could
     *                                  collide), or is longer than {@link #MAX_KEY_BYTES}
     */
    public String storageKey(String key) {
        validateKey(key);

        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (keyBytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("Idempotency key in namespace '" + namespace + "' is "
                    + keyBytes.length + " bytes, above the limit of " + MAX_KEY_BYTES
                    + " bytes. Pass a request id or a hash of the payload as the key, not the payload itself.");
        }

        boolean fits = namespace.length() + 1 + keyBytes.length <= maxStorageKeyBytes;
        if (fits && !key.startsWith(HASHED_PREFIX)) {
            return namespace + ":" + key;
        }
        return namespace + ":" + HASHED_PREFIX + Hashing.sha256Hex(keyBytes);
    }

    private void validateKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("Idempotency key in namespace '" + namespace
                    + "' is null. Derive it from a stable request id; a missing id must fail the request,"
                    + " never share one key.");
        }
        if (key.isBlank()) {
            throw new IllegalArgumentException("Idempotency key in namespace '" + namespace
                    + "' is empty or blank. Derive it from a stable request id; a missing id must fail the"
                    + " request, never share one key.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Idempotency key in namespace '" + namespace
                        + "' has an unpaired surrogate at index " + i + ", which UTF-8 cannot encode. Pass"
                        + " a well-formed string, such as the hex or Base64 form of binary ids.");
            }
        }
    }
}
