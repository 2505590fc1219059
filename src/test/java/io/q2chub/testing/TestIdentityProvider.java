package io.q2chub.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * An OpenID Connect provider in the test JVM, offline: it serves the discovery document and the signing key set
 * (JWKS) over HTTP, and tests sign bearer tokens with its private key. The hub is switched to OIDC against it,
 * with the identity-provider groups {@link #VIEWERS} and {@link #OPERATORS} mapped to the hub's roles.
 */
public class TestIdentityProvider implements QuarkusTestResourceLifecycleManager {

    public static final String VIEWERS = "finance-viewers";
    public static final String OPERATORS = "finance-ops";
    static final String KEY_ID = "q2c-test-key";

    private static volatile String issuer;
    private static volatile PrivateKey signingKey;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        KeyPair keys = rsaKeys();
        signingKey = keys.getPrivate();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/q2c";
        String discovery = """
                {"issuer":"%1$s","jwks_uri":"%1$s/protocol/openid-connect/certs",
                 "token_endpoint":"%1$s/protocol/openid-connect/token",
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer);
        serve("/realms/q2c/.well-known/openid-configuration", discovery);
        serve("/realms/q2c/protocol/openid-connect/certs", jwks((RSAPublicKey) keys.getPublic()));
        server.start();
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "%test.quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", issuer,
                "q2c.ops.oidc.viewer-roles", VIEWERS,
                "q2c.ops.oidc.operator-roles", OPERATORS);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A bearer token of this provider for {@code user} in {@code groups}. */
    public static String token(String user, String... groups) {
        return Jwt.issuer(issuer).subject("sub-" + user).claim("preferred_username", user)
                .groups(Set.of(groups)).audience("q2c-hub").jws().keyId(KEY_ID).sign(signingKey);
    }

    /** A well-formed token signed with a key this provider never published. */
    public static String forgedToken(String user, String... groups) {
        return Jwt.issuer(issuer).subject("sub-" + user).claim("preferred_username", user)
                .groups(Set.of(groups)).jws().keyId(KEY_ID).sign(rsaKeys().getPrivate());
    }

    private void serve(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private static String jwks(RSAPublicKey key) {
        return """
                {"keys":[{"kty":"RSA","kid":"%s","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                .formatted(KEY_ID, base64Url(key.getModulus()), base64Url(key.getPublicExponent()));
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
