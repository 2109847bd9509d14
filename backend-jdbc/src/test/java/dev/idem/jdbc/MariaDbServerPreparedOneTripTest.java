package dev.idem.jdbc;

/**
 * The one-statement operations with server-side prepared statements, which run through the
 * binary protocol. The driver prepares each SQL text once per connection and caches it. The
 * counted statements are the executions.
 */
class MariaDbServerPreparedOneTripTest extends MariaDbOneTripTest {

    @Override
    String urlParameters() {
        return "useServerPrepStmts=true";
    }
}
