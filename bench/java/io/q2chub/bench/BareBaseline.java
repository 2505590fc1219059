package io.q2chub.bench;

import io.q2chub.connector.netsuite.NetSuiteSettings;
import io.q2chub.connector.netsuite.TokenBasedAuth;
import io.q2chub.sandbox.EmbeddedDatabase;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The same I/O as the pipeline with nothing else: {@code concurrency} callers each publish one record and wait
 * for the broker's acknowledgement (as the webhook ingress answers only once Kafka has it); one consumer (as
 * invoice-posting has one) does per record one JDBC insert-if-absent and one HTTP PUT of an invoice to the same
 * NetSuite simulator endpoint, and commits its offsets per poll. Settings as the hub's (acks=all, idempotent
 * producer, no auto-commit).
 */
final class BareBaseline {

    private static final String TOPIC = "bench.baseline.v1";

    private final String bootstrap;
    private final EmbeddedDatabase db;
    private final NetSuiteSimulator netsuite;
    private final TokenBasedAuth tba;
    private final String customerInternalId;
    final AtomicLong httpFailures = new AtomicLong();
    volatile String firstFailure;

    BareBaseline(String bootstrap, EmbeddedDatabase db, NetSuiteSimulator netsuite, NetSuiteSimulator.Settings account,
            String customerInternalId) {
        this.bootstrap = bootstrap;
        this.db = db;
        this.netsuite = netsuite;
        this.customerInternalId = customerInternalId;
        this.tba = new TokenBasedAuth(new NetSuiteSettings(netsuite.baseUrl(), account.accountId(), account.consumerKey(),
                account.consumerSecret(), account.tokenId(), account.tokenSecret(), Map.of(), Map.of(), 5,
                Duration.ofSeconds(30), 3, Duration.ofMillis(100)));
    }

    /** Runs {@code events} through and returns events/s from the first publish to the last invoice in NetSuite. */
    double run(String runId, int events, int concurrency, PostingClock clock) throws Exception {
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS bench_baseline_seen (event_id text PRIMARY KEY)");
        }
        int postedBefore = clock.posted();
        Thread consumer = new Thread(() -> consume(events), "baseline-consumer");
        consumer.setDaemon(true);
        consumer.start();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            AtomicInteger next = new AtomicInteger();
            ExecutorService callers = Executors.newFixedThreadPool(concurrency, WebhookLoad.daemon("baseline-caller"));
            for (int i = 0; i < concurrency; i++) {
                callers.execute(() -> {
                    for (int n = next.getAndIncrement(); n < events; n = next.getAndIncrement()) {
                        String id = runId + "-" + n;
                        try {
                            producer.send(new ProducerRecord<>(TOPIC, id, ("{\"id\":\"" + id + "\"}")
                                    .getBytes(StandardCharsets.UTF_8))).get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            callers.shutdown();
            callers.awaitTermination(30, TimeUnit.MINUTES);
        }
        consumer.join(TimeUnit.MINUTES.toMillis(30));
        long end = clock.lastPostedAt();
        int posted = clock.posted() - postedBefore;
        if (posted != events) {
            throw new IllegalStateException("baseline: " + posted + " of " + events + " invoices in NetSuite; "
                    + httpFailures + " PUTs refused, the first: " + firstFailure);
        }
        return events / ((end - start) / 1e9);
    }

    private void consume(int events) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int done = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
             Connection c = connect();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO bench_baseline_seen (event_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            consumer.subscribe(List.of(TOPIC));
            while (done < events) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    insert.setString(1, record.key());
                    if (insert.executeUpdate() == 1) {
                        put(http, record.key());
                    }
                    done++;
                }
                consumer.commitSync();
            }
        } catch (Exception e) {
            throw new IllegalStateException("baseline consumer failed", e);
        }
    }

    private void put(HttpClient http, String id) throws Exception {
        // baseUrl() is the record service root, .../services/rest/record/v1, as the hub is configured
        URI uri = URI.create(netsuite.baseUrl() + "/invoice/eid:" + id);
        String body = """
                {"tranId":"%s","entity":{"id":"%s"},"tranDate":"2026-11-27","item":{"items":[{"item":{"id":"501"},
                 "quantity":1,"rate":1200.00,"amount":1200.00}]}}""".formatted(id, customerInternalId);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .header("Authorization", tba.header("PUT", uri)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            if (httpFailures.getAndIncrement() == 0) {
                firstFailure = response.statusCode() + " " + response.body();
            }
        }
    }

    private Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
    }
}
