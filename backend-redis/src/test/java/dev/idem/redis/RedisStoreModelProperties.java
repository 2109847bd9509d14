package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;
import net.jqwik.api.lifecycle.AfterContainer;
import redis.clients.jedis.RedisClient;

/** The model properties on the shared standalone server ({@code IDEM_TEST_REDIS_URL}). */
class RedisStoreModelProperties extends IdempotencyStoreModelProperties {

    private static final String PREFIX = TestRedis.uniquePrefix();
    private static RedisClient client;

    /**
     * Connects inside the property rather than in a container hook, because jqwik reports a
     * failing container hook as a skipped property, which would hide a missing server.
     */
    @Override
    protected IdempotencyStore createStore() {
        client = TestRedis.connect();
        return RedisIdempotencyStore.builder(client).keyPrefix(PREFIX).build();
    }

    @AfterContainer
    static void deleteKeys() {
        if (client != null) {
            TestRedis.deleteKeys(client, PREFIX);
            client.close();
        }
    }
}
