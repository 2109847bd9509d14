package dev.idem.redis;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.List;
import java.util.UUID;

/**
 * The Redis server that most tests share: {@code IDEM_TEST_REDIS_URL}, by default
 * {@code redis://127.0.0.1:6379}. Each test class writes under its own random key prefix, so
 * builds that run at the same time on one server do not see each other's keys.
 */
final class TestRedis {

    static final String URL_VARIABLE = "IDEM_TEST_REDIS_URL";
    static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    private TestRedis() {
    }

    /** Returns the URL of the shared server. */
    static String url() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
    }

    /**
     * Connects to the shared server and checks that it replies to PING.
     *
     * @throws IllegalStateException naming {@value #URL_VARIABLE} when no server replies
     */
    static RedisClient connect() {
        RedisClient client = RedisClient.create(url());
        try {
            client.ping();
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("No Redis server answered at " + RedisClients.redact(url())
                    + ". Start one there, or set " + URL_VARIABLE + " to the URL of a Redis server for tests.", e);
        }
        return client;
    }

    /** Returns a fresh key prefix for one test class, such as {@code idem-test:3f2a...:}. */
    static String uniquePrefix() {
        return "idem-test:" + UUID.randomUUID() + ":";
    }

    /** Deletes every key under {@code prefix}, so a test run leaves nothing behind on a shared server. */
    static void deleteKeys(UnifiedJedis client, String prefix) {
        ScanParams params = new ScanParams().match(prefix + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            List<String> found = page.getResult();
            for (String key : found) {
                client.del(key);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
