package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class RetryTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:4x1x1x1x1K")));

    /** Many fast attempts, so that fault rates of 50 % cannot exhaust them and tests stay quick. */
    static final RetryPolicy FAST = RetryPolicy.defaults()
            .maxAttempts(12)
            .initialBackoff(Duration.ofMillis(2))
            .maxBackoff(Duration.ofMillis(20));

    XnatTestServer server;

    @BeforeEach
    void reset() {
        server = xnat.server();
        server.faults(FaultSpec.none());
    }

    static XnatClient client(String url, RetryPolicy policy) {
        return client(url, policy, XnatEventListener.NONE);
    }

    static XnatClient client(String url, RetryPolicy policy, XnatEventListener listener) {
        return XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(policy)
                .eventListener(listener)
                .build();
    }

    private void getsSucceedDespite(String faults) throws Exception {
        RecordingListener events = new RecordingListener();
        try (XnatClient c = client(server.baseUrl(), FAST, events)) {
            c.projects().blockLast(); // log in before faults start
            long before = server.injectedFaults();
            server.faults(FaultSpec.parse(faults));
            List<Long> counts = Flux.range(0, 40)
                    .flatMap(i -> c.project("DEMO").subjects().count(), 8)
                    .collectList()
                    .block();
            server.faults(FaultSpec.none());
            assertThat(counts).hasSize(40).containsOnly(4L);
            long injected = server.injectedFaults() - before;
            assertThat(injected).isPositive();
            // every injected fault was answered by exactly one retry, nothing else was retried
            assertThat(events.count(XnatEventListener.RetryScheduled.class, e -> e.method()
                            .equals("GET")))
                    .isEqualTo(injected);
        }
    }

    @Test
    void getsSucceedAfter503s() throws Exception {
        getsSucceedDespite("unavailable=0.5,retry-after=0,seed=3");
    }

    @Test
    void getsSucceedAfter500s() throws Exception {
        getsSucceedDespite("error=0.5,seed=5");
    }

    @Test
    void noRetryPolicySurfacesThe503() {
        try (XnatClient c = client(server.baseUrl(), RetryPolicy.none())) {
            c.projects().blockLast();
            long before = server.injectedFaults();
            server.faults(FaultSpec.parse("unavailable=1.0,retry-after=0"));
            assertThatThrownBy(() -> c.project("DEMO").subjects().blockLast())
                    .isInstanceOf(XnatServerException.class)
                    .satisfies(e -> {
                        XnatServerException s = (XnatServerException) e;
                        assertThat(s.status()).isEqualTo(503);
                        assertThat(s.method()).isEqualTo("GET");
                        assertThat(s.uri()).startsWith("/data/projects/DEMO/subjects");
                    });
            assertThat(server.injectedFaults() - before).isEqualTo(1);
        }
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        // 503 with Retry-After: 1 once; a retry that comes back sooner (on the client's clock) is refused with 400.
        // The clock is virtual: the test moves it on instead of waiting a second.
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicLong sentAt = new AtomicLong(-1);
        RecordingListener events = new RecordingListener();
        try (StubServer stub = new StubServer((req, res) -> req.receive().then(Mono.defer(() -> {
                    long last = sentAt.get();
                    if (last < 0) {
                        sentAt.set(time.now(TimeUnit.MILLISECONDS));
                        return res.status(503).header("Retry-After", "1").send();
                    }
                    boolean tooEarly = time.now(TimeUnit.MILLISECONDS) - last < 1000;
                    return tooEarly
                            ? res.status(400).sendString(Mono.just("too early")).then()
                            : res.status(200).sendString(Mono.just("ok")).then();
                })));
                XnatClient c = XnatClient.builder()
                        .serverUrl(stub.baseUrl())
                        .credentials(Credentials.password("admin", "admin"))
                        .retryPolicy(FAST)
                        .eventListener(events)
                        .scheduler(time)
                        .build()) {
            CompletableFuture<String> reply =
                    c.request("GET", "/data/thing", Map.of()).toFuture();
            events.await(XnatEventListener.RetryScheduled.class, e -> true, 1);
            // the backoff alone would be 1..3 ms; the server asked for a second
            assertThat(events.retries().get(0).delay()).isEqualTo(Duration.ofSeconds(1));
            time.advanceTimeBy(Duration.ofMillis(999));
            assertThat(stub.count("GET /data/thing")).isEqualTo(1);
            assertThat(reply).isNotDone();
            time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(stub.count("GET /data/thing")).isEqualTo(2);
        }
    }

    @Test
    void retryAfterLongerThanTheLimitFailsAtOnce() {
        try (StubServer stub = new StubServer((req, res) -> req.receive()
                        .then(res.status(503).header("Retry-After", "3600").send()));
                XnatClient c = client(stub.baseUrl(), FAST.maxRetryAfter(Duration.ofSeconds(10)))) {
            assertThatThrownBy(() -> c.request("GET", "/data/thing", Map.of()).block())
                    .isInstanceOf(XnatServerException.class);
            assertThat(stub.count("GET /data/thing")).isEqualTo(1);
        }
    }

    @Test
    void postIsNotReplayedAfterA503ButGetIsRetried() {
        try (StubServer stub = StubServer.answering(503, "text/html", "<html><body><h3>Busy</h3></body></html>");
                XnatClient c = client(stub.baseUrl(), FAST.maxAttempts(3))) {
            assertThatThrownBy(() ->
                            c.request("POST", "/data/services/thing", Map.of()).block())
                    .isInstanceOf(XnatServerException.class)
                    .hasMessageContaining("Busy");
            assertThat(stub.count("POST /data/services/thing")).isEqualTo(1);
            assertThatThrownBy(() ->
                            c.request("GET", "/data/services/thing", Map.of()).block())
                    .isInstanceOf(XnatServerException.class);
            assertThat(stub.count("GET /data/services/thing")).isEqualTo(3);
        }
    }

    @Test
    void postIsNotReplayedAfterTheConnectionClosedWithoutAnswer() {
        try (StubServer stub = new StubServer((req, res) -> req.receive().then(Mono.defer(() -> {
                    res.withConnection(conn -> conn.channel().close());
                    return Mono.never();
                })));
                XnatClient c = client(stub.baseUrl(), FAST.maxAttempts(3))) {
            assertThatThrownBy(() ->
                            c.request("POST", "/data/services/thing", Map.of()).block())
                    .isInstanceOf(XnatException.class);
            assertThat(stub.count("POST /data/services/thing")).isEqualTo(1);
            assertThatThrownBy(() ->
                            c.request("GET", "/data/services/thing", Map.of()).block())
                    .isInstanceOf(XnatException.class);
            assertThat(stub.count("GET /data/services/thing")).isEqualTo(3);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenFailsWithTheConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RecordingListener events = new RecordingListener();
        try (XnatClient c = client("http://127.0.0.1:" + port, FAST.maxAttempts(3), events)) {
            assertThatThrownBy(() -> c.projects().blockLast())
                    .isInstanceOf(XnatTransportException.class)
                    .hasRootCauseInstanceOf(ConnectException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(ConnectException.class));
            // three attempts in all (two retries), not three per attempt
            assertThat(events.retries()).hasSize(2);
            assertThat(events.of(XnatEventListener.RequestStarted.class)).hasSize(3);
        }
    }

    @Test
    void aCallerOwningTheAttemptsSwitchesTheClientsRetriesOff() throws Exception {
        try (XnatClient c = client(server.baseUrl(), FAST.maxAttempts(3))) {
            ResourceRef dicom = c.project("DEMO")
                    .subject("DEMO_S001")
                    .experiment("DEMO_S001_MR1")
                    .scan("1")
                    .resource("DICOM");
            FileEntry e = dicom.files().blockFirst();
            FileRef f = dicom.file(e.path());
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("override");
            server.faults(FaultSpec.parse("drop=1.0,drop-after=0"));
            try {
                long before = server.injectedFaults();
                assertThatThrownBy(() -> f.download(dir.resolve("a"), e)
                                .contextWrite(XnatClient.retryPolicy(RetryPolicy.none()))
                                .block())
                        .isInstanceOf(XnatException.class);
                assertThat(server.injectedFaults() - before).isEqualTo(1);

                before = server.injectedFaults();
                assertThatThrownBy(() -> f.download(dir.resolve("b"), e).block())
                        .isInstanceOf(XnatException.class);
                assertThat(server.injectedFaults() - before).isEqualTo(3);
            } finally {
                server.faults(FaultSpec.none());
            }
        }
    }
}
