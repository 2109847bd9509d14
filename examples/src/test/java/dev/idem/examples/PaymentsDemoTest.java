package dev.idem.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentsDemoTest {

    @Test
    void demoChargesEachKeyOnce() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PaymentsDemo demo = new PaymentsDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int doubleCharges = demo.run();
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(doubleCharges).isZero();
        assertThat(output).contains("charges made: 3, keys charged more than once: 0");
        assertThat(output).containsPattern("client retry\\s+pay-1\\s+REPLAYED\\s+ch_1");
        assertThat(output).containsPattern("same key, other amount\\s+pay-1\\s+REJECTED");
        assertThat(output).containsPattern("retry after failure\\s+pay-3\\s+EXECUTED");
    }
}
