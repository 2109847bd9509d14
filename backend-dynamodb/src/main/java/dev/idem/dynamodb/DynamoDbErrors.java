package dev.idem.dynamodb;

import dev.idem.BackendException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions, thrown after its own retry policy gave up, into
 * {@link BackendException}s whose message carries the AWS error code, the request id and what
 * to do next.
 */
final class DynamoDbErrors {

    private final String tableName;

    DynamoDbErrors(String tableName) {
        this.tableName = tableName;
    }

    BackendException backendFailure(String operation, String key, SdkException failure) {
        return new BackendException(DynamoDbIdempotencyStore.BACKEND, operation, key, describe(failure), failure);
    }

    /** Describes a failure in one message, for exceptions and for the table helper's results. */
    String describe(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = details == null ? service.getMessage() : details.errorMessage();
            return "DynamoDB returned " + (code == null ? "an error" : code) + " (HTTP " + service.statusCode()
                    + ", request id " + service.requestId() + ") on table " + tableName + ": " + message + ". "
                    + advice(code);
        }
        if (failure instanceof SdkClientException) {
            return "the request to DynamoDB for table " + tableName + " did not complete: " + failure.getMessage()
                    + ". Check the endpoint, the network and the credentials; the SDK's retries are used up."
                    + " Whether a write took effect is unknown, so go through claim again.";
        }
        return "the AWS SDK failed on table " + tableName + ": " + failure.getMessage();
    }

    private String advice(String code) {
        if (code == null) {
            return "Retry later; whether a write took effect is unknown, so go through claim again.";
        }
        switch (code) {
            case "ResourceNotFoundException":
                return "Check the table name and the client's region, or create the table with"
                        + " DynamoDbTables.createTable.";
            case "ProvisionedThroughputExceededException":
            case "ThrottlingException":
            case "RequestLimitExceeded":
                return "The SDK retried with backoff and gave up; raise the table's capacity or use on-demand"
                        + " billing, or retry later.";
            case "AccessDeniedException":
            case "UnrecognizedClientException":
            case "MissingAuthenticationTokenException":
                return "Check the credentials and grant the IAM actions listed in the idem-dynamodb README.";
            case "ValidationException":
                return "Check that the table's key schema matches the store's layout (attribute names and"
                        + " types, and a sort key only when the layout has one).";
            default:
                return "Retry later; whether a write took effect is unknown, so go through claim again.";
        }
    }
}
