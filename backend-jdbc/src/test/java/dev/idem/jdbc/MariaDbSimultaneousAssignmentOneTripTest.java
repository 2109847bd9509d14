package dev.idem.jdbc;

/**
 * The one-statement operations under sql_mode SIMULTANEOUS_ASSIGNMENT, in which every assignment
 * of an UPDATE or ON DUPLICATE KEY UPDATE clause reads the old row. Only the counted session
 * uses this mode, and the races run on the shared pool in the server's default mode.
 */
class MariaDbSimultaneousAssignmentOneTripTest extends MariaDbOneTripTest {

    @Override
    String urlParameters() {
        return "";
    }

    @Override
    String sessionSetup() {
        return "SET SESSION sql_mode = CONCAT(@@sql_mode, ',SIMULTANEOUS_ASSIGNMENT')";
    }
}
