package dev.idem.lambda;

import dev.idem.memory.InMemoryIdempotencyStore;
import dev.idem.spi.IdempotencyStore;

/** Runs the sample events on the embedded in-memory store. */
class SampleEventsInMemoryTest extends SampleEventsContract {

    @Override
    IdempotencyStore store() {
        return InMemoryIdempotencyStore.create();
    }
}
