package io.q2chub.connector.salesforce;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What camel-salesforce needs in a native image, since no Camel Quarkus Salesforce extension is served here and the
 * plain component is used. Camel Quarkus core already registers the component, endpoint, configurers and consumer
 * classes (from their META-INF/services files), and Quarkus' Jackson extension the DTOs carrying Jackson creator or
 * deserializer annotations. Listed here is the rest, for the calls this connector makes:
 * <ul>
 * <li>the Jackson DTOs camel-salesforce binds on those calls: the OAuth answer (LoginToken, LoginError) and the
 * error answer (RestError). getSObject and upsertSObject run with rawPayload=true and the raw operation returns the
 * body as it came, so no SObject or result DTO is bound; SalesforceNativeConfigTest fails when a call appears that
 * would bind one, or when this package names a DTO not registered with everything its fields reach;</li>
 * <li>the component's option holders, bound from camel.component.salesforce.* and the routes' parameters;</li>
 * <li>Jetty's HttpClient and ProtocolHandlers (read reflectively when the client starts, as Camel Quarkus' own Jetty
 * support registers them), and the implementations Jetty finds through ServiceLoader: gzip decoding and the
 * HTTP/1.x header pre-encoders (Quarkus builds with the ServiceLoader feature off, so their service files are kept
 * by quarkus.native.resources.includes and their classes registered here).</li>
 * </ul>
 * Not listed because Quarkus' gRPC support (quarkus-grpc-common, which quarkus-opentelemetry brings) already does it
 * for every generated message on the class path: the Pub/Sub API's protobuf messages and builders, gRPC's channel,
 * name-resolver and load-balancer providers, and run-time initialisation of gRPC's Netty classes. Avro decodes the
 * events as GenericRecord from the schema the Pub/Sub API sends (pubSubDeserializeType=JSON), which needs no
 * reflection; no Avro schema is read from the class path. {@code .ci/check-native-sources} checks both in the
 * configuration Quarkus writes for native-image.
 *
 * <p>Classes whose static initialiser starts a thread, creates a random generator or an executor must initialise at
 * run time (Quarkus initialises everything else at build time): {@link #RUN_TIME_INITIALIZED}, passed to
 * native-image by quarkus.native.additional-build-args. Whether native-image then builds and runs is only shown where
 * Mandrel is (the workflow's native job).
 */
@RegisterForReflection(classNames = {
        "org.apache.camel.component.salesforce.SalesforceEndpointConfig",
        "org.apache.camel.component.salesforce.SalesforceLoginConfig",
        "org.apache.camel.component.salesforce.api.dto.AbstractDTOBase",
        "org.apache.camel.component.salesforce.api.dto.RestError",
        "org.apache.camel.component.salesforce.internal.dto.LoginError",
        "org.apache.camel.component.salesforce.internal.dto.LoginToken",
        "org.eclipse.jetty.client.HttpClient",
        "org.eclipse.jetty.client.ProtocolHandlers",
        "org.eclipse.jetty.compression.gzip.GzipCompression",
        "org.eclipse.jetty.http.Http10FieldPreEncoder",
        "org.eclipse.jetty.http.Http11FieldPreEncoder"
})
public final class SalesforceNativeConfig {

    /** Where the DTO closure starts: what camel-salesforce binds on login and on an error answer. */
    static final List<String> DTO_ROOTS = List.of(
            "org.apache.camel.component.salesforce.internal.dto.LoginToken",
            "org.apache.camel.component.salesforce.internal.dto.LoginError",
            "org.apache.camel.component.salesforce.api.dto.RestError");

    /**
     * The operations the hub calls, and the endpoint option each must carry so that no DTO is bound: getSObject and
     * upsertSObject would bind the SObject class or UpsertSObjectResult without rawPayload, a Pub/Sub consumer would
     * bind generated Avro classes or POJOs by reflection with another deserialize type.
     */
    static final Map<String, String> OPERATIONS = Map.of(
            "getSObject", "rawPayload=true",
            "upsertSObject", "rawPayload=true",
            "raw", "",
            "pubSubSubscribe", "pubSubDeserializeType: JSON");

    /** Service files Jetty reads through ServiceLoader; each implementation is registered above. */
    static final List<String> SERVICE_FILES = List.of(
            "META-INF/services/org.eclipse.jetty.compression.Compression",
            "META-INF/services/org.eclipse.jetty.http.HttpFieldPreEncoder");

    /**
     * Classes of camel-salesforce's libraries whose static initialiser makes what must not be in the image heap
     * (a thread, an executor, a Cleaner's thread, a SecureRandom seeded at build time).
     */
    static final List<String> RUN_TIME_INITIALIZED = List.of(
            "org.apache.avro.file.DataFileWriter",
            "org.eclipse.jetty.util.RolloverFileOutputStream",
            "org.eclipse.jetty.util.VirtualThreads",
            "org.eclipse.jetty.util.resource.URLResourceFactory$URLResource");

    private SalesforceNativeConfig() {
    }
}
