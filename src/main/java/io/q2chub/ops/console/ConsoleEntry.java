package io.q2chub.ops.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The console is the static page under META-INF/resources/console/; "/console" without the slash would not find its
 * index page and its relative script and style links, so it is sent to "/console/".
 */
@ApplicationScoped
public class ConsoleEntry {

    void redirectBareConsolePath(@Observes Router router) {
        router.routeWithRegex("^/console$").handler(rc -> rc.redirect("/console/"));
    }
}
