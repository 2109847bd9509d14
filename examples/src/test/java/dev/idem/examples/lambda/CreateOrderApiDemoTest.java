package dev.idem.examples.lambda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CreateOrderApiDemoTest {

    @Test
    void demoCreatesOneOrderPerKey() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CreateOrderApiDemo demo = new CreateOrderApiDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int created = demo.run();
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(created).isEqualTo(3);
        assertThat(output).containsPattern("sample GET without a key\\s+400");
        assertThat(output).containsPattern("client retry\\s+201\\s+true\\s+-\\s+\\{\"orderId\":\"ord_1\"");
        assertThat(output).containsPattern("same key, other quantity\\s+422");
        assertThat(output).containsPattern("retry while it runs\\s+409\\s+-\\s+1\\s");
        assertThat(output).containsPattern("inventory unavailable\\s+503");
        assertThat(output).containsPattern("retry after the 503\\s+201\\s+-");
        assertThat(output).containsPattern("retry after success\\s+201\\s+true");
    }
}
