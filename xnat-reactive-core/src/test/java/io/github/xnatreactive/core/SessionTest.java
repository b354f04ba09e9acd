package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.core.internal.Transport;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.scheduler.VirtualTimeScheduler;

class SessionTest {
    static final String PASSWORD = "Adm1n-Session-Pw";

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(
            b -> b.user("admin", PASSWORD).user("alice", "alicepw").seed(SeedSpec.parse("DEMO:3x1x1x1x1K")));

    XnatTestServer server;

    @BeforeEach
    void freshSessions() {
        server = xnat.server();
        server.faults(FaultSpec.none());
        server.expireSessions();
        assertThat(server.sessionCount()).isZero();
    }

    XnatClient client() {
        return client(server.baseUrl());
    }

    static XnatClient client(String url) {
        return XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", PASSWORD))
                .build();
    }

    @Test
    void oneLoginIsSharedByManyConcurrentRequests() {
        try (XnatClient c = client()) {
            List<List<Project>> all = Flux.range(0, 50)
                    .flatMap(i -> c.projects().collectList(), 50)
                    .collectList()
                    .block();
            assertThat(all)
                    .hasSize(50)
                    .allSatisfy(l -> assertThat(l).extracting(Project::id).containsExactly("DEMO"));
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(3);
            assertThat(server.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void sessionExpiredBetweenCallsIsRenewedOnce() {
        try (XnatClient c = client()) {
            assertThat(c.projects().count().block()).isEqualTo(1);
            assertThat(server.sessionCount()).isEqualTo(1);
            server.expireSessions();
            assertThat(server.sessionCount()).isZero();
            assertThat(c.projects().count().block()).isEqualTo(1);
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(3);
            assertThat(server.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void aRequestRejectedWithASessionAnotherRequestRenewedMeanwhileIsReplayedWithoutCountingIt() throws Exception {
        // A is held at the server with the first session while the session expires and B renews it; A's 401 then
        // names a login that is no longer current. Two more 401s follow for A's current logins: A succeeds on its
        // fourth attempt, as only the current logins' rejections count (at most two).
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.route("GET", "/data/projects/{project}/subjects/{subject}", req -> {
            if (!"STALE_PROBE".equals(req.pathVariable("subject"))) {
                return io.github.xnatreactive.testkit.RouteResponse.proceed();
            }
            int n = calls.incrementAndGet();
            if (n == 1) {
                held.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return n <= 3
                    ? io.github.xnatreactive.testkit.RouteResponse.error(401, "Session expired")
                    : io.github.xnatreactive.testkit.RouteResponse.text(200, "application/json", "{\"ok\":1}");
        });
        try (XnatClient c = client()) {
            c.projects().blockLast(); // the first login
            var a = c.project("DEMO").subject("STALE_PROBE").json().toFuture();
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            server.expireSessions();
            assertThat(c.projects().count().block()).isPositive(); // B: rejected, logs in anew, succeeds
            release.countDown();
            assertThat(a.get(30, java.util.concurrent.TimeUnit.SECONDS)).contains("ok");
            assertThat(calls.get()).isEqualTo(4);
        } finally {
            release.countDown();
        }
    }

    @Test
    void sessionExpiredWhileManyRequestsAreInFlightIsRenewedOnce() {
        try (XnatClient c = client()) {
            c.projects().blockLast();
            List<Long> counts = Flux.range(0, 300)
                    .doOnNext(i -> {
                        if (i == 100 || i == 200) {
                            server.expireSessions();
                        }
                    })
                    .flatMap(i -> c.project("DEMO").subjects().count(), 16)
                    .collectList()
                    .block();
            assertThat(counts).hasSize(300).containsOnly(3L);
            // two expiries: each renewed by exactly one login, whatever the number of requests in flight
            assertThat(server.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void periodicServerSideExpiryIsRenewedOncePerExpiry() {
        try (XnatTestServer s = XnatTestServer.builder()
                        .user("admin", PASSWORD)
                        .seed(SeedSpec.parse("DEMO:2x1x1x1x1K"))
                        .faults(FaultSpec.parse("expire-sessions=150ms"))
                        .start();
                XnatClient c = client(s.baseUrl())) {
            List<Long> counts = Flux.range(0, 400)
                    .flatMap(i -> c.project("DEMO").subjects().count(), 8)
                    .collectList()
                    .block();
            assertThat(counts).hasSize(400).containsOnly(2L);
            // A session is removed when a request presents it after its expiry; a second login within one period
            // would leave a session nobody presents again, so more than one here means a duplicate login.
            assertThat(s.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void wrongPasswordFailsAtFirstCallNamingTheUserNotThePassword() {
        String wrong = "Wr0ng-Secret-XYZ";
        try (XnatClient c = XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.password("admin", wrong))
                .build()) {
            assertThatThrownBy(() -> c.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class)
                    .hasMessageContaining("admin")
                    .hasMessageNotContaining(wrong)
                    .satisfies(e -> assertThat(((XnatHttpException) e).status()).isEqualTo(401))
                    .satisfies(e -> assertThat(ConfigurationTest.chain(e)).doesNotContain(wrong));
            assertThatThrownBy(() -> c.project("DEMO").exists().block())
                    .isInstanceOf(XnatAuthenticationException.class);
            assertThat(server.sessionCount()).isZero();
        }
    }

    @Test
    void anonymousAgainstAServerThatRequiresLoginIsAnAuthenticationError() {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.anonymous())
                .build()) {
            assertThatThrownBy(() -> c.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class)
                    .satisfies(e -> assertThat(((XnatHttpException) e).status()).isEqualTo(401));
        }
    }

    static String loginRaw(String baseUrl, String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newConnection()
                .headers(h -> h.set("Authorization", "Basic " + basic))
                .get()
                .uri(baseUrl + "/data/JSESSION")
                .responseContent()
                .aggregate()
                .asString()
                .block()
                .strip();
    }

    @Test
    void existingSessionIdWorksUntilItExpiresAndIsNeverRenewed() {
        String id = loginRaw(server.baseUrl(), "admin", PASSWORD);
        assertThat(server.sessionCount()).isEqualTo(1);
        try (XnatClient c = XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.sessionId(id))
                .build()) {
            assertThat(c.projects().count().block()).isEqualTo(1);
            assertThat(server.sessionCount()).isEqualTo(1);
            server.expireSessions();
            assertThatThrownBy(() -> c.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class)
                    .hasMessageNotContaining(id);
            assertThat(server.sessionCount()).isZero();
        }
    }

    @Test
    void closingAClientOnABorrowedSessionDoesNotEndIt() {
        String id = loginRaw(server.baseUrl(), "admin", PASSWORD);
        XnatClient c = XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.sessionId(id))
                .build();
        assertThat(c.projects().count().block()).isEqualTo(1);
        c.close();
        assertThat(server.sessionCount()).isEqualTo(1);
    }

    /**
     * The testkit's session clock is package-private (meant for its own tests); a fake clock lets the session age
     * by minutes without waiting. The heartbeat runs on a virtual clock the test moves on; it waits for each beat's
     * response event (a real signal), never for a duration.
     */
    @Test
    void heartbeatKeepsAnIdleSessionAlive() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        XnatTestServer.Builder b = XnatTestServer.builder()
                .user("admin", PASSWORD)
                .seed(SeedSpec.parse("DEMO:1x1x1x1x1K"))
                .sessionTimeout(Duration.ofMinutes(15));
        Method clock = XnatTestServer.Builder.class.getDeclaredMethod("clock", LongSupplier.class);
        clock.setAccessible(true);
        clock.invoke(b, (LongSupplier) now::get);
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        RecordingListener events = new RecordingListener();
        try (XnatTestServer s = b.start()) {
            String withBeat = loginRaw(s.baseUrl(), "admin", PASSWORD);
            String without = loginRaw(s.baseUrl(), "admin", PASSWORD);
            try (XnatClient beating = XnatClient.builder()
                            .serverUrl(s.baseUrl())
                            .credentials(Credentials.sessionId(withBeat))
                            .heartbeat(Duration.ofMinutes(5))
                            .scheduler(time)
                            .eventListener(events)
                            .build();
                    XnatClient idle = XnatClient.builder()
                            .serverUrl(s.baseUrl())
                            .credentials(Credentials.sessionId(without))
                            .build()) {
                for (int i = 1; i <= 6; i++) {
                    now.addAndGet(Duration.ofMinutes(5).toMillis());
                    time.advanceTimeBy(Duration.ofMinutes(5));
                    awaitHeartbeats(events, i);
                }
                // 30 minutes of server time passed, 15 is the timeout: only the heartbeat kept its session alive
                assertThat(beating.projects().count().block()).isEqualTo(1);
                assertThatThrownBy(() -> idle.projects().collectList().block())
                        .isInstanceOf(XnatAuthenticationException.class);
            }
        }
    }

    private static void awaitHeartbeats(RecordingListener events, int n) throws InterruptedException {
        events.await(
                XnatEventListener.ResponseReceived.class,
                e -> e.path().equals("/data/JSESSION") && e.status() == 200,
                n);
    }

    @Test
    void closeEndsTheServerSessionAndFreesThePool() throws Exception {
        XnatClient c = client();
        assertThat(c.projects().count().block()).isEqualTo(1);
        assertThat(server.sessionCount()).isEqualTo(1);
        c.close();
        assertThat(server.sessionCount()).isZero();
        Field pool = Transport.class.getDeclaredField("pool");
        pool.setAccessible(true);
        assertThat(((ConnectionProvider) pool.get(c.transport())).isDisposed()).isTrue();
        assertThatThrownBy(() -> c.projects().collectList().block())
                .isInstanceOf(XnatException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.project("DEMO").exists().block())
                .isInstanceOf(XnatException.class)
                .hasMessageContaining("closed");
        assertThat(server.sessionCount()).isZero();
    }
}
