package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import redis.clients.jedis.RedisClusterClient;

/** The model properties on a three-master Cluster that the test starts. */
class RedisClusterStoreModelProperties extends IdempotencyStoreModelProperties {

    private static RedisClusterProcess cluster;
    private static RedisClusterClient client;

    @BeforeContainer
    static void startCluster() {
        cluster = RedisClusterProcess.start();
        client = cluster.client();
    }

    @AfterContainer
    static void stopCluster() {
        client.close();
        cluster.close();
    }

    @Override
    protected IdempotencyStore createStore() {
        return RedisIdempotencyStore.builder(client).build();
    }
}
