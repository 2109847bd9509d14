package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreModelProperties;
import net.jqwik.api.lifecycle.AfterContainer;
import redis.clients.jedis.RedisClusterClient;

/** The model properties on a three-master Cluster that the test starts. */
class RedisClusterStoreModelProperties extends IdempotencyStoreModelProperties {

    private static RedisClusterProcess cluster;
    private static RedisClusterClient client;

    /**
     * Starts the Cluster inside the property rather than in a container hook, because jqwik
     * reports a failing container hook as a skipped property, which would hide the failure.
     */
    @Override
    protected IdempotencyStore createStore() {
        cluster = RedisClusterProcess.start();
        client = cluster.client();
        return RedisIdempotencyStore.builder(client).build();
    }

    @AfterContainer
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
