package io.q2chub.sandbox.salesforce;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Pub/Sub API of the simulated org, for {@code /data/AccountChangeEvent}: GetTopic, GetSchema and Subscribe
 * with flow control (events are sent only as far as FetchRequest.num_requested allows) and replay (LATEST,
 * EARLIEST, CUSTOM). A replay id the bus does not retain is refused the way Salesforce refuses it, with an
 * {@code error-code} trailer a client can act on, never by silently starting somewhere else.
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase {

    static final String TOPIC = "/data/AccountChangeEvent";
    static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);

    private final ChangeEventLog events;
    private final AtomicBoolean rejectNextSubscription = new AtomicBoolean();
    private final AtomicInteger subscriptions = new AtomicInteger();

    PubSubService(ChangeEventLog events) {
        this.events = events;
    }

    /** The next Subscribe is refused as if its replay id were corrupted, whatever it asks for. */
    void rejectNextSubscription() {
        rejectNextSubscription.set(true);
    }

    /** Subscriptions that have started and not ended: a test waits for one before it publishes. */
    int activeSubscriptions() {
        return subscriptions.get();
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        if (!TOPIC.equals(request.getTopicName())) {
            response.onError(Status.NOT_FOUND.withDescription("topic not found: " + request.getTopicName()).asRuntimeException());
            return;
        }
        response.onNext(TopicInfo.newBuilder().setTopicName(TOPIC).setSchemaId(AccountChangeEventSchema.SCHEMA_ID)
                .setCanSubscribe(true).setCanPublish(false).setTenantGuid(SimulatedOrg.ORG_ID)
                .setRpcId(UUID.randomUUID().toString()).build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        if (!AccountChangeEventSchema.SCHEMA_ID.equals(request.getSchemaId())) {
            response.onError(Status.NOT_FOUND.withDescription("schema not found: " + request.getSchemaId()).asRuntimeException());
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaId(AccountChangeEventSchema.SCHEMA_ID)
                .setSchemaJson(AccountChangeEventSchema.SCHEMA.toString()).setRpcId(UUID.randomUUID().toString()).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> response) {
        return new Subscription(response);
    }

    /** One Subscribe stream: where it stands in the log and how many events the client still asked for. */
    private final class Subscription implements StreamObserver<FetchRequest> {
        private final StreamObserver<FetchResponse> response;
        private final Runnable wakeUp = this::deliver;
        private long next = -1;
        private int pending;
        private boolean closed;

        Subscription(StreamObserver<FetchResponse> response) {
            this.response = response;
        }

        @Override
        public synchronized void onNext(FetchRequest request) {
            if (closed) {
                return;
            }
            if (next < 0 && !start(request)) {
                return;
            }
            pending += request.getNumRequested();
            deliver();
        }

        private boolean start(FetchRequest request) {
            if (!TOPIC.equals(request.getTopicName())) {
                fail(Status.NOT_FOUND.withDescription("topic not found: " + request.getTopicName()), null);
                return false;
            }
            Optional<Long> position = switch (request.getReplayPreset()) {
                case LATEST -> Optional.of(events.nextSequence());
                case EARLIEST -> Optional.of(events.firstRetained());
                case CUSTOM -> events.after(request.getReplayId().toByteArray());
                default -> Optional.empty();
            };
            if (rejectNextSubscription.getAndSet(false) || position.isEmpty()) {
                fail(Status.INVALID_ARGUMENT.withDescription("replay id validation failed: the replay id is not valid"
                        + " or no longer retained (" + CORRUPTED_REPLAY_ID + ")"), CORRUPTED_REPLAY_ID);
                return false;
            }
            next = position.get();
            events.onAppend(wakeUp);
            subscriptions.incrementAndGet();
            return true;
        }

        private synchronized void deliver() {
            if (closed || next < 0 || pending <= 0) {
                return;
            }
            List<ChangeEventLog.StoredEvent> batch = events.from(next, pending);
            if (batch.isEmpty()) {
                return;
            }
            FetchResponse.Builder answer = FetchResponse.newBuilder().setRpcId(UUID.randomUUID().toString());
            for (ChangeEventLog.StoredEvent e : batch) {
                answer.addEvents(ConsumerEvent.newBuilder()
                        .setEvent(ProducerEvent.newBuilder().setId(e.id()).setSchemaId(AccountChangeEventSchema.SCHEMA_ID)
                                .setPayload(ByteString.copyFrom(e.payload())))
                        .setReplayId(ByteString.copyFrom(e.replayId())));
                next = e.sequence() + 1;
            }
            pending -= batch.size();
            answer.setLatestReplayId(ByteString.copyFrom(batch.get(batch.size() - 1).replayId()));
            answer.setPendingNumRequested(pending);
            try {
                response.onNext(answer.build());
            } catch (StatusRuntimeException cancelled) {
                close();
            }
        }

        private void fail(Status status, String errorCode) {
            Metadata trailers = new Metadata();
            if (errorCode != null) {
                trailers.put(ERROR_CODE, errorCode);
            }
            response.onError(status.asRuntimeException(trailers));
            close();
        }

        @Override
        public synchronized void onError(Throwable t) {
            close();
        }

        @Override
        public synchronized void onCompleted() {
            if (!closed) {
                close();
                response.onCompleted();
            }
        }

        private void close() {
            if (!closed && next >= 0) {
                subscriptions.decrementAndGet();
            }
            closed = true;
            events.removeListener(wakeUp);
        }
    }
}
