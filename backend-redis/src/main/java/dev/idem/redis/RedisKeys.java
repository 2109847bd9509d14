package dev.idem.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Maps an Idem key to its two Redis keys: {@code <prefix>{<tag>}} for the record hash and
 * {@code <prefix>{<tag>}:token} for the fencing-token counter.
 *
 * <p>The tag is the Idem key with {@code %}, <code>{</code> and <code>}</code> escaped as
 * {@code %25}, {@code %7B} and {@code %7D}, and each unpaired UTF-16 surrogate written as
 * {@code %uXXXX}. The tag therefore never contains a brace, so Redis Cluster hashes exactly the
 * tag and both keys land in one slot whatever the Idem key holds. The mapping is injective, so
 * two Idem keys never share a record. The empty key, whose tag would be empty and so be ignored
 * by Cluster, gets the tag {@code %}, which no other key produces.
 */
final class RedisKeys {

    static final String DEFAULT_PREFIX = "idem:";
    static final String COUNTER_SUFFIX = ":token";

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = validatePrefix(prefix);
    }

    String prefix() {
        return prefix;
    }

    /** Returns the name of the hash that stores the record of {@code key}. */
    String recordKey(String key) {
        return prefix + "{" + tag(key) + "}";
    }

    /** Returns the name of the string that stores the last fencing token of {@code key}. */
    String counterKey(String key) {
        return recordKey(key) + COUNTER_SUFFIX;
    }

    byte[] recordKeyBytes(String key) {
        return recordKey(key).getBytes(StandardCharsets.UTF_8);
    }

    byte[] counterKeyBytes(String key) {
        return counterKey(key).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the hash tag of {@code key}: the key with braces, {@code %} and unpaired surrogates escaped. */
    static String tag(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            return "%";
        }

        StringBuilder tag = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '%') {
                tag.append("%25");
            } else if (c == '{') {
                tag.append("%7B");
            } else if (c == '}') {
                tag.append("%7D");
            } else if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                tag.append(c).append(key.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                // UTF-8 cannot encode a lone surrogate, so Java would write '?' and merge distinct keys.
                tag.append(String.format("%%u%04X", (int) c));
            } else {
                tag.append(c);
            }
        }
        return tag.toString();
    }

    private static String validatePrefix(String prefix) {
        Objects.requireNonNull(prefix, "keyPrefix");
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            // A brace in the prefix would become the hash tag and put every key into one Cluster slot.
            throw new IllegalArgumentException("Invalid key prefix '" + prefix
                    + "': it must not contain '{' or '}', because Idem places its own hash tag after the prefix."
                    + " Use a prefix such as 'idem:' or 'orders:idem:'.");
        }
        if (!new String(prefix.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(prefix)) {
            throw new IllegalArgumentException("Invalid key prefix: it contains an unpaired UTF-16 surrogate,"
                    + " which has no UTF-8 encoding. Use a prefix such as 'idem:'.");
        }
        return prefix;
    }
}
