package dev.idem.examples.lambda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OrderPaymentsQueueDemoTest {

    @Test
    void demoChargesEachOrderOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OrderPaymentsQueueDemo demo = new OrderPaymentsQueueDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int doubleCharges = demo.run();
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(doubleCharges).isZero();
        assertThat(output).contains("charges per order: {1234=1, 1235=1, 1236=1, 1237=1}");
        assertThat(output).containsPattern("5f1b9c2e-\\S+\\s+order-payments:order-1234\\s+REPLAYED");
        assertThat(output).containsPattern("a7e3d5c1-\\S+\\s+order-payments:order-1235\\s+FAILED");
        assertThat(output).containsPattern("f1e2d3c4-\\S+\\s+order-payments:order-1237\\s+IN_FLIGHT");
        assertThat(output).contains("{\"batchItemFailures\":[{\"itemIdentifier\":\"a7e3d5c1-6b2f-4f0a-8c9e-1d2b3a4c5e61\"},"
                + "{\"itemIdentifier\":\"f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a91\"}]}");
        assertThat(output).containsPattern("a7e3d5c1-\\S+\\s+order-payments:order-1235\\s+EXECUTED");
        assertThat(output).containsPattern("0b1c2d3e-\\S+\\s+order-payments:order-1234\\s+PAYLOAD_MISMATCH");
        assertThat(output).containsPattern("d9144555-9a4f-4ec3-99a0-fc4e625a8db2\\s+-\\s+INVALID_KEY");
    }
}
