package dev.idem.bench.jmh;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;

/** The Redis floor: {@code SET key v NX PX} to claim and {@code SET key result XX PX} to complete. */
final class RedisFloor implements Floor {

    private static final byte[] IN_PROGRESS = "IN_PROGRESS".getBytes(StandardCharsets.UTF_8);

    private final UnifiedJedis jedis;
    private final SetParams claimParams;
    private final SetParams completeParams;

    RedisFloor(UnifiedJedis jedis, long retentionMillis) {
        this.jedis = jedis;
        this.claimParams = SetParams.setParams().nx().px(retentionMillis);
        this.completeParams = SetParams.setParams().xx().px(retentionMillis);
    }

    @Override
    public void claim(String key) {
        jedis.set(bytes(key), IN_PROGRESS, claimParams);
    }

    @Override
    public void complete(String key, byte[] result) {
        jedis.set(bytes(key), result, completeParams);
    }

    /**
     * Runs the duplicate check that libraries without a read-back use: a {@code SET NX} that
     * fails, a {@code GET} of the winner's status, and a second {@code GET} of its result.
     */
    byte[] naiveDuplicate(String key) {
        byte[] name = bytes(key);
        if (jedis.set(name, IN_PROGRESS, claimParams) != null) {
            return null;
        }
        jedis.get(name);
        return jedis.get(name);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
