package io.q2chub.sandbox.salesforce;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.Predicate;

/**
 * The Pub/Sub API authenticates each call by metadata: the session's access token, the instance URL and the
 * org id (tenant). A call without a valid session is refused with Salesforce's auth error code, which makes a
 * client log in again.
 */
final class PubSubAuthentication implements ServerInterceptor {

    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    private final Predicate<String> validToken;

    PubSubAuthentication(Predicate<String> validToken) {
        this.validToken = validToken;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String problem = !validToken.test(headers.get(ACCESS_TOKEN)) ? "invalid or missing accessToken"
                : headers.get(INSTANCE_URL) == null ? "missing instanceUrl"
                : !SimulatedOrg.ORG_ID.equals(headers.get(TENANT_ID)) ? "tenantId is not this org" : null;
        if (problem == null) {
            return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        trailers.put(PubSubService.ERROR_CODE, AUTH_ERROR);
        call.close(Status.UNAUTHENTICATED.withDescription(problem), trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
