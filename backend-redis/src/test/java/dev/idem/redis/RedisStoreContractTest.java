package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClient;

/** The store contract on the shared standalone server ({@code IDEM_TEST_REDIS_URL}). */
class RedisStoreContractTest extends IdempotencyStoreContract {

    private final String prefix = TestRedis.uniquePrefix();
    private RedisClient client;

    @Override
    protected IdempotencyStore createStore() {
        client = TestRedis.connect();
        return RedisIdempotencyStore.builder(client).keyPrefix(prefix).build();
    }

    @AfterAll
    void deleteKeys() {
        TestRedis.deleteKeys(client, prefix);
        client.close();
    }
}
