package io.q2chub.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the simulators' HTTP servers with TCP_NODELAY. Without it each request-response over loopback stalls
 * about 40 ms (Nagle's algorithm meeting the client's delayed ACK on a response written in two pieces): the
 * 500-customer replay test drained at 9 customers/s with it and 40/s without. Real vendor APIs do not behave that
 * way, so the simulators must not either.
 */
public final class LoopbackHttp {

    private LoopbackHttp() {
    }

    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        // Read once, when the JDK's server configuration is first loaded: set before the first server of the JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(address, backlog);
    }
}
