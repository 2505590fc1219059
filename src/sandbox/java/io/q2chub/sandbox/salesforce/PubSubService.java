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
    static final String ORDER_TOPIC = "/data/OrderChangeEvent";
    static final String OPPORTUNITY_TOPIC = "/data/OpportunityChangeEvent";

    /** One change event channel: its topic name, the schema its events are encoded with, and its retained events. */
    record Channel(String topic, String schemaId, org.apache.avro.Schema schema, ChangeEventLog events) {
    }
    static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);

    private final java.util.Map<String, Channel> channels = new java.util.LinkedHashMap<>();
    private final AtomicBoolean rejectNextSubscription = new AtomicBoolean();
    private final java.util.Map<String, AtomicInteger> subscriptions = new java.util.concurrent.ConcurrentHashMap<>();

    PubSubService(List<Channel> channels) {
        channels.forEach(c -> this.channels.put(c.topic(), c));
    }

    /** The next Subscribe is refused as if its replay id were corrupted, whatever it asks for. */
    void rejectNextSubscription() {
        rejectNextSubscription.set(true);
    }

    /** Subscriptions that have started and not ended: a test waits for one before it publishes. */
    int activeSubscriptions() {
        return activeSubscriptions(TOPIC);
    }

    /** Subscriptions to one topic that have started and not ended. */
    int activeSubscriptions(String topic) {
        AtomicInteger count = subscriptions.get(topic);
        return count == null ? 0 : count.get();
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        Channel channel = channels.get(request.getTopicName());
        if (channel == null) {
            response.onError(Status.NOT_FOUND.withDescription("topic not found: " + request.getTopicName()).asRuntimeException());
            return;
        }
        response.onNext(TopicInfo.newBuilder().setTopicName(channel.topic()).setSchemaId(channel.schemaId())
                .setCanSubscribe(true).setCanPublish(false).setTenantGuid(SimulatedOrg.ORG_ID)
                .setRpcId(UUID.randomUUID().toString()).build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        Channel channel = channels.values().stream().filter(c -> c.schemaId().equals(request.getSchemaId()))
                .findFirst().orElse(null);
        if (channel == null) {
            response.onError(Status.NOT_FOUND.withDescription("schema not found: " + request.getSchemaId()).asRuntimeException());
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaId(channel.schemaId())
                .setSchemaJson(channel.schema().toString()).setRpcId(UUID.randomUUID().toString()).build());
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
        private Channel channel;
        private ChangeEventLog events;
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
            channel = channels.get(request.getTopicName());
            if (channel == null) {
                fail(Status.NOT_FOUND.withDescription("topic not found: " + request.getTopicName()), null);
                return false;
            }
            events = channel.events();
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
            subscriptions.computeIfAbsent(channel.topic(), t -> new AtomicInteger()).incrementAndGet();
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
                        .setEvent(ProducerEvent.newBuilder().setId(e.id()).setSchemaId(channel.schemaId())
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
                subscriptions.get(channel.topic()).decrementAndGet();
            }
            closed = true;
            if (events != null) {
                events.removeListener(wakeUp);
            }
        }
    }
}
