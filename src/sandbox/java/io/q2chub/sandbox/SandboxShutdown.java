package io.q2chub.sandbox;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.spi.CamelEvent.CamelContextStoppedEvent;

/**
 * Stops the embedded broker and database after the last route has stopped, so consumers commit their offsets
 * and close cleanly first. In dev mode they outlive the restarts that live reload causes and stop with the JVM
 * (a shutdown hook registered by Sandbox).
 */
@ApplicationScoped
class SandboxShutdown {

    void afterRoutesStopped(@Observes CamelContextStoppedEvent event) {
        if (Sandbox.started() && LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            Sandbox.stop();
        }
    }
}
