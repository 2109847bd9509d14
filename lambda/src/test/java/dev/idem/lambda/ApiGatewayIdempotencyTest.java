package dev.idem.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.idem.BackendException;
import dev.idem.Idem;
import dev.idem.memory.InMemoryIdempotencyStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiGatewayIdempotencyTest {

    private FailingStore store;
    private Idem idem;
    private ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api;
    private final AtomicInteger runs = new AtomicInteger();
    private final TestContext context = new TestContext(29_000);

    @BeforeEach
    void setUp() {
        store = new FailingStore(InMemoryIdempotencyStore.create());
        idem = Idem.builder(store).namespace("orders-api").build();
        api = ApiGatewayIdempotency.restApi(idem).build();
    }

    private static APIGatewayProxyRequestEvent post(String key, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/orders").withBody(body)
                .withHeaders(headers);
    }

    private APIGatewayProxyResponseEvent created(APIGatewayProxyRequestEvent request) {
        return respond(201, "{\"order\":" + runs.incrementAndGet() + "}");
    }

    private static APIGatewayProxyResponseEvent respond(int status, String body) {
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withBody(body)
                .withHeaders(Map.of("Content-Type", "application/json"));
    }

    @Test
    void firstRequestRunsHandler() {
        APIGatewayProxyResponseEvent response = api.handle(post("k1", "{}"), context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).doesNotContainKey(ApiGatewayIdempotency.REPLAYED_HEADER);
    }

    @Test
    void retryReplaysStoredResponse() {
        api.handle(post("k1", "{}"), context, this::created);

        APIGatewayProxyResponseEvent replay = api.handle(post("k1", "{}"), context, this::created);

        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo("{\"order\":1}");
        assertThat(replay.getHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(runs).hasValue(1);
    }

    @Test
    void headerNameIgnoresCase() {
        api.handle(post("k1", "{}"), context, this::created);
        APIGatewayProxyRequestEvent lowerCase = post(null, "{}");
        lowerCase.getHeaders().put("idempotency-key", "k1");

        APIGatewayProxyResponseEvent replay = api.handle(lowerCase, context, this::created);

        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void quotedKeyMatchesBareKey() {
        api.handle(post("\"k1\"", "{}"), context, this::created);

        APIGatewayProxyResponseEvent replay = api.handle(post("k1", "{}"), context, this::created);

        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void missingKeyIsBadRequest() {
        APIGatewayProxyResponseEvent response = api.handle(post(null, "{}"), context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("\"status\":400").contains("Missing Idempotency-Key header");
        assertThat(runs).hasValue(0);
    }

    @Test
    void blankKeyIsBadRequest() {
        assertThat(api.handle(post("  ", "{}"), context, this::created).getStatusCode()).isEqualTo(400);
        assertThat(api.handle(post("\"\"", "{}"), context, this::created).getStatusCode()).isEqualTo(400);
    }

    @Test
    void optionalKeyRunsWithoutIdempotency() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> optional =
                ApiGatewayIdempotency.restApi(idem).keyRequired(false).build();

        optional.handle(post(null, "{}"), context, this::created);
        APIGatewayProxyResponseEvent second = optional.handle(post(null, "{}"), context, this::created);

        assertThat(second.getBody()).isEqualTo("{\"order\":2}");
    }

    @Test
    void conflictingKeyValuesAreBadRequest() {
        APIGatewayProxyRequestEvent request = post(null, "{}");
        request.setMultiValueHeaders(Map.of("Idempotency-Key", List.of("k1", "k2")));

        APIGatewayProxyResponseEvent response = api.handle(request, context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("2 different Idempotency-Key values");
    }

    @Test
    void repeatedSameKeyIsAccepted() {
        APIGatewayProxyRequestEvent request = post(null, "{}");
        request.setMultiValueHeaders(Map.of("idempotency-key", List.of("k1", "\"k1\"")));

        assertThat(api.handle(request, context, this::created).getStatusCode()).isEqualTo(201);
    }

    @Test
    void malformedQuotedKeyIsBadRequest() {
        APIGatewayProxyResponseEvent response = api.handle(post("\"k1", "{}"), context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("no closing quote");
    }

    @Test
    void overlongKeyIsBadRequest() {
        APIGatewayProxyResponseEvent response = api.handle(post("k".repeat(256), "{}"), context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("at most 255");
    }

    @Test
    void otherBodyIsUnprocessable() {
        api.handle(post("k1", "{\"amount\":10}"), context, this::created);

        APIGatewayProxyResponseEvent reused = api.handle(post("k1", "{\"amount\":99}"), context, this::created);

        assertThat(reused.getStatusCode()).isEqualTo(422);
        assertThat(reused.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(runs).hasValue(1);
    }

    @Test
    void otherPathIsUnprocessable() {
        api.handle(post("k1", "{}"), context, this::created);
        APIGatewayProxyRequestEvent otherRoute = post("k1", "{}").withPath("/refunds");

        assertThat(api.handle(otherRoute, context, this::created).getStatusCode()).isEqualTo(422);
    }

    @Test
    void inFlightRequestIsConflict() {
        AtomicReference<APIGatewayProxyResponseEvent> concurrent = new AtomicReference<>();

        api.handle(post("k1", "{}"), context, request -> {
            concurrent.set(api.handle(post("k1", "{}"), context, this::created));
            return created(request);
        });

        assertThat(concurrent.get().getStatusCode()).isEqualTo(409);
        assertThat(concurrent.get().getHeaders()).containsEntry("Retry-After", "1");
        assertThat(concurrent.get().getBody()).contains("\"status\":409");
    }

    @Test
    void retryAfterIsCappedLeaseTime() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> patient =
                ApiGatewayIdempotency.restApi(idem).maxRetryAfter(Duration.ofSeconds(5)).build();
        AtomicReference<APIGatewayProxyResponseEvent> concurrent = new AtomicReference<>();

        patient.handle(post("k1", "{}"), context, request -> {
            concurrent.set(patient.handle(post("k1", "{}"), context, this::created));
            return created(request);
        });

        assertThat(concurrent.get().getHeaders()).containsEntry("Retry-After", "5");
    }

    @Test
    void serverErrorIsNotStored() {
        api.handle(post("k1", "{}"), context, request -> respond(503, "{\"error\":\"inventory unavailable\"}"));

        APIGatewayProxyResponseEvent retry = api.handle(post("k1", "{}"), context, this::created);

        assertThat(retry.getStatusCode()).isEqualTo(201);
    }

    @Test
    void clientErrorIsNotStoredByDefault() {
        api.handle(post("k1", "{}"), context, request -> respond(404, "{\"error\":\"no such product\"}"));

        assertThat(api.handle(post("k1", "{}"), context, this::created).getStatusCode()).isEqualTo(201);
    }

    @Test
    void clientErrorIsStoredWhenConfigured() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> storing =
                ApiGatewayIdempotency.restApi(idem).storeResponsesWhere(status -> status < 500).build();
        storing.handle(post("k1", "{}"), context, request -> respond(404, "{\"error\":\"no such product\"}"));

        APIGatewayProxyResponseEvent replay = storing.handle(post("k1", "{}"), context, this::created);

        assertThat(replay.getStatusCode()).isEqualTo(404);
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void nullResponseIsNotStored() {
        assertThat(api.handle(post("k1", "{}"), context, request -> null)).isNull();
        assertThat(api.handle(post("k1", "{}"), context, this::created).getStatusCode()).isEqualTo(201);
    }

    @Test
    void handlerExceptionReleasesKey() {
        assertThatThrownBy(() -> api.handle(post("k1", "{}"), context, request -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(api.handle(post("k1", "{}"), context, this::created).getStatusCode()).isEqualTo(201);
    }

    @Test
    void storeFailureStillReturnsResponse() {
        store.failCompletes = true;

        APIGatewayProxyResponseEvent response = api.handle(post("k1", "{}"), context, this::created);

        assertThat(response.getStatusCode()).isEqualTo(201);
    }

    @Test
    void claimFailurePropagates() {
        store.failClaims = true;

        assertThatThrownBy(() -> api.handle(post("k1", "{}"), context, this::created))
                .isInstanceOf(BackendException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void customKeyScopesByTenant() {
        ApiGatewayIdempotency<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> scoped =
                ApiGatewayIdempotency.restApi(idem)
                        .key(request -> HttpHeaders.find(request.getHeaders(), "X-Tenant") + ":"
                                + HttpHeaders.find(request.getHeaders(), "Idempotency-Key"))
                        .build();
        APIGatewayProxyRequestEvent tenantA = post("k1", "{}");
        tenantA.getHeaders().put("X-Tenant", "a");
        APIGatewayProxyRequestEvent tenantB = post("k1", "{}");
        tenantB.getHeaders().put("X-Tenant", "b");

        scoped.handle(tenantA, context, this::created);
        APIGatewayProxyResponseEvent other = scoped.handle(tenantB, context, this::created);

        assertThat(other.getBody()).isEqualTo("{\"order\":2}");
    }

    @Test
    void httpApiReplaysCookiesAndHeaders() {
        ApiGatewayIdempotency<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> httpApi =
                ApiGatewayIdempotency.httpApi(idem).build();
        APIGatewayV2HTTPEvent request = SampleEvents.load("apigw_http_event.json", APIGatewayV2HTTPEvent.class);
        request.setHeaders(Map.of("idempotency-key", "k1"));
        APIGatewayV2HTTPResponse created = new APIGatewayV2HTTPResponse();
        created.setStatusCode(201);
        created.setBody("b3JkZXI=");
        created.setIsBase64Encoded(true);
        created.setCookies(List.of("a=1", "b=2"));
        created.setMultiValueHeaders(Map.of("Link", List.of("</orders/1>", "</orders>")));
        httpApi.handle(request, context, r -> created);

        APIGatewayV2HTTPResponse replay = httpApi.handle(request, context, r -> null);

        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo("b3JkZXI=");
        assertThat(replay.getIsBase64Encoded()).isTrue();
        assertThat(replay.getCookies()).containsExactly("a=1", "b=2");
        assertThat(replay.getMultiValueHeaders()).containsEntry("Link", List.of("</orders/1>", "</orders>"));
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void httpApiMissingKeyIsBadRequest() {
        ApiGatewayIdempotency<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> httpApi =
                ApiGatewayIdempotency.httpApi(idem).build();
        APIGatewayV2HTTPEvent request = SampleEvents.load("apigw_http_event.json", APIGatewayV2HTTPEvent.class);

        APIGatewayV2HTTPResponse response = httpApi.handle(request, context, r -> null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }
}
