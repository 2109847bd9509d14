package dev.idem.fingerprint;

import dev.idem.internal.Hashing;
import dev.idem.internal.Jackson;

import java.nio.charset.StandardCharsets;

/** The built-in fingerprinters. */
public final class Fingerprinters {

    private Fingerprinters() {
    }

    /** Skips the payload check: every duplicate of a key replays, whatever its payload. */
    public static Fingerprinter none() {
        return payload -> null;
    }

    /**
     * Hashes {@code byte[]} payloads as they are and {@code String} payloads as UTF-8, with
     * SHA-256. Other types are rejected with a message that names them.
     */
    public static Fingerprinter bytes() {
        return payload -> {
            if (payload instanceof byte[] bytes) {
                return Hashing.sha256Hex(bytes);
            }
            if (payload instanceof String text) {
                return Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
            }
            throw new IllegalArgumentException("Cannot fingerprint a payload of type " + payload.getClass().getName()
                    + " without Jackson: pass a String or byte[], add com.fasterxml.jackson.core:jackson-databind,"
                    + " or set a Fingerprinter on the builder.");
        };
    }

    /**
     * The default: {@link JsonFingerprinter} over the whole payload when Jackson is on the
     * classpath, {@link #bytes()} otherwise.
     */
    public static Fingerprinter auto() {
        return Jackson.isPresent() ? JsonFingerprinter.create() : bytes();
    }
}
