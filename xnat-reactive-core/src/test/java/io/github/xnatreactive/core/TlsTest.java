package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * TLS against a loopback server with a self-signed certificate for 127.0.0.1, made by the JDK's {@code keytool}
 * (Netty's SelfSignedCertificate needs BouncyCastle's PKIX module on this Netty, which is not a dependency).
 */
class TlsTest {
    static final String LISTING =
            "{\"ResultSet\":{\"Result\":[{\"ID\":\"P1\",\"name\":\"One\"}],\"totalRecords\":\"1\"}}";

    @TempDir
    static Path dir;

    static Path caPem;
    static StubServer server;

    @BeforeAll
    static void start() throws Exception {
        Path p12 = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "srv",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                p12.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "srv",
                "-keystore",
                p12.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-file",
                caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("srv", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate("srv");
        server = new StubServer(
                HttpServer.create().secure(s -> s.sslContext(Http11SslContextSpec.forServer(key, cert))),
                (req, res) -> req.receive()
                        .then(res.status(200)
                                .header("Content-Type", "application/json")
                                .sendString(Mono.just(LISTING))
                                .then()));
    }

    static void keytool(String... args) throws Exception {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String httpsUrl() {
        return server.baseUrl().replace("http://", "https://");
    }

    static XnatClient.Builder builder() {
        return XnatClient.builder().serverUrl(httpsUrl()).credentials(Credentials.password("admin", "admin"));
    }

    @Test
    void defaultVerificationRejectsASelfSignedCertificateWithoutRetrying() throws Exception {
        int before = server.count("GET /data/projects") + server.count("GET /data/JSESSION");
        RecordingListener events = new RecordingListener();
        try (XnatClient c = builder().eventListener(events).build()) {
            assertThatThrownBy(() -> c.projects().blockLast())
                    .isInstanceOf(XnatTransportException.class)
                    .satisfies(e -> assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class));
            assertThat(events.retries()).isEmpty();
        }
        assertThat(server.count("GET /data/projects") + server.count("GET /data/JSESSION"))
                .isEqualTo(before);
    }

    @Test
    void caFileAcceptsIt() {
        try (XnatClient c = builder().caFile(caPem).build()) {
            assertThat(c.projects().map(Project::id).collectList().block()).containsExactly("P1");
        }
    }

    @Test
    void insecureTrustAllAcceptsItAndWarnsOncePerClient() {
        try (LogCapture log = new LogCapture(Level.INFO, "io.github.xnatreactive")) {
            try (XnatClient c = builder().insecureTrustAll().build()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(c.projects().map(Project::id).collectList().block())
                            .containsExactly("P1");
                }
            }
            assertThat(log.events).hasSize(1);
            assertThat(log.count(Level.WARN, "TLS certificate verification is DISABLED for " + httpsUrl()))
                    .isEqualTo(1);
            try (XnatClient second = builder().insecureTrustAll().build()) {
                assertThat(second.projects().count().block()).isEqualTo(1);
            }
            assertThat(log.count(Level.WARN, "DISABLED")).isEqualTo(2);
        }
    }

    @Test
    void verificationStaysOnForOtherClients() {
        try (XnatClient lax = builder().insecureTrustAll().build();
                XnatClient strict = builder().build()) {
            assertThat(lax.projects().count().block()).isEqualTo(1);
            assertThatThrownBy(() -> strict.projects().blockLast()).isInstanceOf(XnatException.class);
        }
    }
}
