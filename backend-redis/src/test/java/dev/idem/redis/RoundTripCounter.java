package dev.idem.redis;

import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.PooledConnectionProvider;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts network round trips at the client's socket: one each time the client reads after it
 * has written. A pipeline writes every command before it reads any reply, so it counts once,
 * while N sequential commands count N times.
 */
final class RoundTripCounter implements JedisSocketFactory {

    private final HostAndPort address;
    private final AtomicInteger roundTrips = new AtomicInteger();

    RoundTripCounter(HostAndPort address) {
        this.address = address;
    }

    /**
     * Builds a client with one pooled connection through this factory. Idle checks are off, so
     * no background PING adds to the count.
     */
    RedisClient client() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(1);
        pool.setTestWhileIdle(false);
        pool.setTimeBetweenEvictionRuns(java.time.Duration.ofMillis(-1));
        ConnectionFactory connections = new ConnectionFactory(this, DefaultJedisClientConfig.builder().build());
        return RedisClient.builder().connectionProvider(new PooledConnectionProvider(connections, pool)).build();
    }

    int roundTrips() {
        return roundTrips.get();
    }

    @Override
    public Socket createSocket() throws JedisConnectionException {
        try {
            Socket socket = new CountingSocket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 2_000);
            socket.setSoTimeout(2_000);
            return socket;
        } catch (IOException e) {
            throw new JedisConnectionException("Failed to connect to " + address, e);
        }
    }

    /** A socket whose streams report each switch from writing to reading. */
    private final class CountingSocket extends Socket {

        private volatile boolean wroteSinceRead;
        private InputStream input;
        private OutputStream output;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        countRead();
                        return super.read();
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        countRead();
                        return super.read(buffer, offset, length);
                    }
                };
            }
            return input;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int value) throws IOException {
                        wroteSinceRead = true;
                        out.write(value);
                    }

                    @Override
                    public void write(byte[] buffer, int offset, int length) throws IOException {
                        wroteSinceRead = true;
                        out.write(buffer, offset, length);
                    }
                };
            }
            return output;
        }

        private void countRead() {
            if (wroteSinceRead) {
                wroteSinceRead = false;
                roundTrips.incrementAndGet();
            }
        }
    }
}
