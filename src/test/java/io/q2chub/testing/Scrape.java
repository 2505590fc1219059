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
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
