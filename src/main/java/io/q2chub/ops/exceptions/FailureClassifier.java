package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.q2chub.ops.failure.FailureClass;
import io.q2chub.ops.failure.IntegrationFailure;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Puts a failure into one of the four classes. Connectors throw {@link IntegrationFailure}s they classified
 * themselves (they know their vendor's error codes); this only covers what reaches the dead-letter path
 * unclassified.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static Classification classify(Throwable failure) {
        if (failure == null) {
            return new Classification(FailureClass.BUSINESS, "hub", "UNKNOWN", "failed without an exception");
        }
        IntegrationFailure classified = find(failure, IntegrationFailure.class);
        if (classified != null) {
            return new Classification(classified.failureClass(), classified.system(), classified.errorCode(),
                    classified.getMessage());
        }
        JsonProcessingException unparseable = find(failure, JsonProcessingException.class);
        if (unparseable != null) {
            return new Classification(FailureClass.POISON, "hub", "UNPARSEABLE", unparseable.getOriginalMessage());
        }
        HttpOperationFailedException http = find(failure, HttpOperationFailedException.class);
        if (http != null) {
            int status = http.getStatusCode();
            FailureClass cls = status == 429 || status >= 500 ? FailureClass.TRANSIENT
                    : status == 401 || status == 403 ? FailureClass.SECURITY : FailureClass.BUSINESS;
            return new Classification(cls, http.getUri(), "HTTP_" + status, http.getResponseBody());
        }
        if (find(failure, TimeoutException.class) != null || find(failure, IOException.class) != null) {
            return new Classification(FailureClass.TRANSIENT, "unknown", "IO", failure.getMessage());
        }
        // Anything else is a defect or data we did not expect: keep it for a person to look at.
        return new Classification(FailureClass.BUSINESS, "hub", failure.getClass().getSimpleName(),
                String.valueOf(failure.getMessage()));
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
