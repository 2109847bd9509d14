package dev.idem.memory;

import dev.idem.spi.IdempotencyStore;
import dev.idem.spi.IdempotencyStoreProvider;
import dev.idem.spi.StoreConfig;

/** Provides the in-memory store under the name {@code memory}; it needs no settings. */
public final class InMemoryStoreProvider implements IdempotencyStoreProvider {

    public static final String NAME = "memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IdempotencyStore create(StoreConfig config) {
        return InMemoryIdempotencyStore.create();
    }
}
