package io.q2chub.testing;

import static io.restassured.RestAssured.given;

import java.net.URL;

/** One read of the Prometheus text the hub serves on the management port, and the values of its series. */
public record Scrape(String text) {

    public static Scrape of(URL metrics) {
        return new Scrape(given().get(metrics).then().statusCode(200).extract().asString());
    }

    /**
     * The value of the series of this name whose labels include every {@code label="value"} given (0 when no such
     * series is served, as Prometheus treats a counter not yet created).
     */
    public double value(String name, String... labels) {
        String line = line(name, labels);
        if (line == null) {
            return 0;
        }
        // OpenMetrics exemplars follow the value ("... 3.0 # {trace_id=\"...\"} 1.0 1795776501.556"): with
        // OpenTelemetry on the classpath Quarkus adds them to counters and histogram buckets
        String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")).trim() : line;
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    /** Whether a series of this name with these labels is served at all. */
    public boolean serves(String name, String... labels) {
        return line(name, labels) != null;
    }

    private String line(String name, String... labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return line;
            }
        }
        return null;
    }
}
