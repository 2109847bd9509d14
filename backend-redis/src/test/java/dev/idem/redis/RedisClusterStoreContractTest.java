package dev.idem.redis;

import dev.idem.spi.IdempotencyStore;
import dev.idem.testkit.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on a three-master Cluster that the test starts, through a store that owns its Cluster client. */
class RedisClusterStoreContractTest extends IdempotencyStoreContract {

    private RedisClusterProcess cluster;

    @Override
    protected IdempotencyStore createStore() {
        cluster = RedisClusterProcess.start();
        return RedisIdempotencyStore.builder().clusterNodes(cluster.nodeList()).build();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }
}
