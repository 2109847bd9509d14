package dev.idem.bench.jmh;

import java.util.concurrent.ConcurrentHashMap;

/** The in-process floor: one {@link ConcurrentHashMap} write per operation. */
final class MemoryFloor implements Floor {

    private static final byte[] IN_PROGRESS = new byte[0];

    private final ConcurrentHashMap<String, byte[]> records = new ConcurrentHashMap<>();

    @Override
    public void claim(String key) {
        records.putIfAbsent(key, IN_PROGRESS);
    }

    @Override
    public void complete(String key, byte[] result) {
        records.replace(key, result);
    }
}
