package io.q2chub.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.q2chub.ops.failure.PoisonFailure;
import java.io.IOException;

/**
 * The one JSON configuration for canonical events, so that every producer writes the same bytes the schemas
 * describe and every consumer reads them the same way.
 *
 * <ul>
 *   <li>dates and instants as ISO-8601 / RFC 3339 strings ("2025-01-31", "2025-01-31T09:15:00Z");</li>
 *   <li>absent optional fields are omitted rather than written as null (the schemas accept either);</li>
 *   <li>unknown properties are ignored, so a consumer keeps working when a producer adds an optional field;</li>
 *   <li>decimals read as {@link java.math.BigDecimal} and written plain, so quantities never pass through
 *       {@code double};</li>
 *   <li>trailing content after the JSON value is an error, so a truncated or concatenated message is poison.</li>
 * </ul>
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private CanonicalJson() {
    }

    /**
     * The shared, thread-safe mapper. Do not reconfigure it: other code depends on its settings. Call
     * {@code mapper().copy()} if you need a variant.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Event data as its canonical type. The schema was checked before, so data that still does not bind is poison
     * (parked with its bytes), never a retry.
     */
    public static <T> T bind(byte[] data, Class<T> type, String what) {
        try {
            return mapper().readValue(data, type);
        } catch (IOException e) {
            throw new PoisonFailure("hub", "UNPARSEABLE", what + " does not bind: " + e.getMessage(), e);
        }
    }
}
