package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Fault injection: 503/500 at a rate, seeded replay, dropped connections, latency and session expiry. */
class FaultsTest {
    private static final String SEED = "F:1x1x1x2x64K";
    private static final String FILES =
            "/data/projects/F/subjects/F_S001/experiments/F_S001_MR1/scans/1/resources/DICOM/files";

    private static XnatTestServer start(String faults) {
        return XnatTestServer.builder()
                .seed(SeedSpec.parse(SEED))
                .faults(FaultSpec.parse(faults))
                .start();
    }

    @Test
    void unavailableAnswers503WithRetryAfterAndIsCounted() {
        try (XnatTestServer server = start("unavailable=1.0,retry-after=7")) {
            TestHttp http = new TestHttp(server);
            for (int i = 0; i < 5; i++) {
                HttpResponse<byte[]> r = http.get("/data/projects?format=json");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
                assertThat(r.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
            }
            assertThat(server.injectedFaults()).isEqualTo(5);
            server.faults(FaultSpec.none());
            assertThat(http.get("/data/projects?format=json").statusCode()).isEqualTo(200);
            assertThat(server.injectedFaults()).isEqualTo(5);
        }
    }

    @Test
    void errorAnswers500StatusPage() {
        try (XnatTestServer server = start("error=1.0")) {
            TestHttp http = new TestHttp(server);
            HttpResponse<byte[]> r = http.get(FILES + "?format=json");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
            assertThat(TestHttp.text(r)).contains("<title>Status page</title>").contains("<h3>");
            assertThat(r.headers().firstValue("Retry-After")).isEmpty();
            assertThat(server.injectedFaults()).isEqualTo(1);
        }
    }

    private static List<Integer> outcomes(String faults, int n) {
        try (XnatTestServer server = start(faults)) {
            TestHttp http = new TestHttp(server);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                statuses.add(http.get("/data/projects?format=json").statusCode());
            }
            assertThat(server.injectedFaults())
                    .isEqualTo(statuses.stream().filter(s -> s != 200).count());
            return statuses;
        }
    }

    @Test
    void sameSeedReplaysTheSameFaultsAnotherSeedDoesNot() {
        List<Integer> first = outcomes("error=0.25,unavailable=0.25,seed=42", 40);
        List<Integer> replay = outcomes("error=0.25,unavailable=0.25,seed=42", 40);
        List<Integer> other = outcomes("error=0.25,unavailable=0.25,seed=7", 40);
        assertThat(first).contains(200, 500, 503);
        assertThat(replay).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void loginEndpointsAreExempt() {
        try (XnatTestServer server = start("error=1.0,unavailable=0.0")) {
            TestHttp http = new TestHttp(server);
            HttpResponse<byte[]> jsession = http.get("/data/JSESSION");
            assertThat(jsession.statusCode()).isEqualTo(200);
            assertThat(TestHttp.text(jsession)).matches("[0-9A-F]{32}");
            HttpResponse<byte[]> form = new TestHttp(server.baseUrl(), null, null, false)
                    .post(
                            "/data/services/auth",
                            "application/x-www-form-urlencoded",
                            "username=admin&password=admin".getBytes(StandardCharsets.UTF_8));
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(server.injectedFaults()).isZero();
            assertThat(http.get("/data/projects").statusCode()).isEqualTo(500);
            assertThat(server.injectedFaults()).isEqualTo(1);
        }
    }

    /** Status line, headers and however many body bytes arrived before the server closed the connection. */
    private record RawResponse(String head, int bodyBytes, boolean eofBeforeContentLength) {}

    private static RawResponse rawGet(XnatTestServer server, String path) throws IOException {
        try (Socket s = TestHttp.rawGet(server, path)) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("EOF in headers: " + head);
                }
                head.write(c);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            long contentLength = h.lines()
                    .filter(l -> l.toLowerCase().startsWith("content-length:"))
                    .mapToLong(l -> Long.parseLong(l.substring(15).trim()))
                    .findFirst()
                    .orElseThrow();
            int body = 0;
            byte[] buf = new byte[8192];
            boolean eof = false;
            try {
                while (body < contentLength) {
                    int n = in.read(buf);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    body += n;
                }
            } catch (IOException reset) {
                eof = true;
            }
            return new RawResponse(h, body, eof);
        }
    }

    @Test
    void dropCutsTheDownloadAfterTheGivenBytesAndTheServerCarriesOn() throws Exception {
        try (XnatTestServer server = start("")) {
            TestHttp http = new TestHttp(server);
            String uri = TestHttp.rows(http.get(FILES + "?format=json"))
                    .get(0)
                    .get("URI")
                    .asString();
            server.faults(FaultSpec.parse("drop=1.0,drop-after=1000"));

            RawResponse raw = rawGet(server, uri);
            assertThat(raw.head()).startsWith("HTTP/1.1 200");
            assertThat(raw.head()).containsIgnoringCase("content-length: 65536");
            assertThat(raw.eofBeforeContentLength()).isTrue();
            assertThat(raw.bodyBytes()).isEqualTo(1000);
            assertThat(server.injectedFaults()).isEqualTo(1);

            // the JDK client sees a premature end of the body
            assertThatThrownBy(() -> http.get(uri)).isInstanceOf(UncheckedIOException.class);
            assertThat(server.injectedFaults()).isEqualTo(2);

            // listings are not file downloads: unaffected, and the server still serves
            assertThat(http.get(FILES + "?format=json").statusCode()).isEqualTo(200);
            server.faults(FaultSpec.none());
            HttpResponse<byte[]> full = http.get(uri);
            assertThat(full.statusCode()).isEqualTo(200);
            assertThat(full.body()).hasSize(64 * 1024);
            assertThat(rawGet(server, uri).bodyBytes()).isEqualTo(64 * 1024);
        }
    }

    @Test
    void dropAfterZeroBytesSendsHeadersOnly() throws Exception {
        try (XnatTestServer server = start("")) {
            TestHttp http = new TestHttp(server);
            String uri = TestHttp.rows(http.get(FILES + "?format=json"))
                    .get(0)
                    .get("URI")
                    .asString();
            server.faults(FaultSpec.parse("drop=1.0,drop-after=0"));
            RawResponse raw = rawGet(server, uri);
            assertThat(raw.eofBeforeContentLength()).isTrue();
            assertThat(raw.bodyBytes()).isZero();
            server.faults(FaultSpec.none());
            assertThat(http.get(uri).body()).hasSize(64 * 1024);
        }
    }

    @Test
    void latencyDelaysEveryRequest() {
        try (XnatTestServer server = start("")) {
            TestHttp http = new TestHttp(server);
            server.faults(FaultSpec.parse("latency=1h"));
            // The request cannot be answered within a second when every request is held back an hour.
            assertThatThrownBy(() ->
                            http.send(http.request("/data/projects?format=json").timeout(Duration.ofSeconds(1))))
                    .hasCauseInstanceOf(HttpTimeoutException.class);
            server.faults(FaultSpec.none());
            assertThat(http.get("/data/projects?format=json").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void expiredSessionsAnswer401ToCookieOnlyRequests() {
        AtomicLong now = new AtomicLong(1_000_000);
        try (XnatTestServer server = XnatTestServer.builder()
                .faults(FaultSpec.parse("expire-sessions=30s"))
                .clock(now::get)
                .start()) {
            TestHttp http = new TestHttp(server.baseUrl(), "admin", "admin", true);
            assertThat(http.get("/data/JSESSION").statusCode()).isEqualTo(200);
            http.withoutBasic();
            assertThat(http.get("/data/projects?format=json").statusCode()).isEqualTo(200);
            now.addAndGet(Duration.ofSeconds(31).toMillis());
            assertThat(http.get("/data/projects?format=json").statusCode()).isEqualTo(401);

            TestHttp again = new TestHttp(server.baseUrl(), "admin", "admin", true);
            assertThat(again.get("/data/JSESSION").statusCode()).isEqualTo(200);
            again.withoutBasic();
            assertThat(again.get("/data/projects?format=json").statusCode()).isEqualTo(200);
            server.expireSessions();
            HttpResponse<byte[]> denied = again.get("/data/projects?format=json");
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }
}
