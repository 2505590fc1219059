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
        return line == null ? 0 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
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
