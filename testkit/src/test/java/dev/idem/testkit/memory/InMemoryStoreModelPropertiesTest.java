package dev.idem.testkit.memory;

import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;

/** Runs the model properties against the in-memory store, from outside the testkit's package as a backend does. */
class InMemoryStoreModelPropertiesTest extends IdempotencyStoreModelProperties {

    @Override
    protected IdempotencyStore createStore() {
        return InMemoryIdempotencyStore.create();
    }
}
