package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import redis.clients.jedis.RedisClient;

/** The model properties on the shared standalone server ({@code IDEM_TEST_REDIS_URL}). */
class RedisStoreModelProperties extends IdempotencyStoreModelProperties {

    private static final String PREFIX = TestRedis.uniquePrefix();
    private static RedisClient client;

    @BeforeContainer
    static void connect() {
        client = TestRedis.connect();
    }

    @AfterContainer
    static void deleteKeys() {
        TestRedis.deleteKeys(client, PREFIX);
        client.close();
    }

    @Override
    protected IdempotencyStore createStore() {
        return RedisIdempotencyStore.builder(client).keyPrefix(PREFIX).build();
    }
}
