package dev.idem.testkit.memory;

import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;

/**
 * Runs the store contract against the in-memory store. It lives outside the testkit's package on
 * purpose, so it extends the contract exactly as a backend module does.
 */
class InMemoryStoreContractTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        return InMemoryIdempotencyStore.create();
    }
}
