package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The events for whole requests that metrics and tracing build on: one exchange per request with the subscriber's
 * context, its attempts told to the listener made for it, session renewals and the connection pool's gauges.
 */
class ExchangeEventsTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x1x1x1K")));

    /** Records exchanges; each request gets its own listener, which records that request's attempts. */
    static final class PerRequest implements XnatEventListener {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<ExchangeFinished> finished = new CopyOnWriteArrayList<>();
        final List<ConnectionPoolOpened> pools = new CopyOnWriteArrayList<>();
        final List<ConnectionPoolClosed> closed = new CopyOnWriteArrayList<>();
        final AtomicInteger renewals = new AtomicInteger();

        @Override
        public XnatEventListener exchangeStarted(ExchangeStarted e) {
            String tag = e.context().getOrDefault("tag", "-");
            log.add("start " + e.method() + " " + e.path() + " " + tag);
            PerRequest outer = this;
            return new XnatEventListener() {
                @Override
                public void responseReceived(ResponseReceived r) {
                    log.add(tag + " " + r.status());
                }

                @Override
                public void exchangeFinished(ExchangeFinished f) {
                    outer.finished.add(f);
                    log.add("end " + f.path() + " " + tag);
                }

                @Override
                public void sessionRenewed(SessionRenewed s) {
                    outer.renewals.incrementAndGet();
                }
            };
        }

        @Override
        public void connectionPoolOpened(ConnectionPoolOpened e) {
            pools.add(e);
        }

        @Override
        public void connectionPoolClosed(ConnectionPoolClosed e) {
            closed.add(e);
        }
    }

    XnatClient client(XnatEventListener listener) {
        return XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(listener)
                .build();
    }

    @Test
    void eachRequestIsOneExchangeInItsSubscribersContextAndHearsItsOwnAttempts() {
        PerRequest events = new PerRequest();
        try (XnatClient c = client(events)) {
            assertThat(c.project("DEMO")
                            .subjects()
                            .count()
                            .contextWrite(ctx -> ctx.put("tag", "list"))
                            .block())
                    .isEqualTo(2);
            assertThatThrownBy(() -> c.project("NOPE")
                            .subjects()
                            .contextWrite(ctx -> ctx.put("tag", "missing"))
                            .blockLast())
                    .isInstanceOf(XnatNotFoundException.class);
        }
        // the login is an exchange in the context of the request that needed it
        assertThat(events.log)
                .containsSubsequence(
                        "start GET /data/projects/{project}/subjects list",
                        "start GET /data/JSESSION list",
                        "list 200",
                        "end /data/JSESSION list",
                        "list 200",
                        "end /data/projects/{project}/subjects list")
                .containsSubsequence(
                        "start GET /data/projects/{project}/subjects missing",
                        "missing 404",
                        "end /data/projects/{project}/subjects missing")
                // and so is the logout on close, last
                .endsWith("start DELETE /data/JSESSION -", "- 200", "end /data/JSESSION -");
        assertThat(events.finished)
                .filteredOn(f -> f.path().equals("/data/projects/{project}/subjects"))
                .satisfiesExactly(
                        ok -> {
                            assertThat(ok.status()).isEqualTo(200);
                            assertThat(ok.error()).isNull();
                            assertThat(ok.attempts()).isEqualTo(1);
                            assertThat(ok.duration()).isPositive();
                        },
                        missing -> {
                            assertThat(missing.status()).isEqualTo(404);
                            assertThat(missing.error()).isInstanceOf(XnatNotFoundException.class);
                            assertThat(missing.cancelled()).isFalse();
                        });
    }

    @Test
    void aRejectedSessionIsRenewedOnceAndToldOnce() {
        PerRequest events = new PerRequest();
        try (XnatClient c = client(events)) {
            assertThat(c.projects().count().block()).isPositive();
            xnat.server().expireSessions();
            assertThat(c.projects().count().block()).isPositive();
        }
        assertThat(events.renewals).hasValue(1);
    }

    @Test
    void thePoolsGaugesReadTheLiveStateUntilTheClientCloses() {
        PerRequest events = new PerRequest();
        XnatEventListener.ConnectionPoolOpened pool;
        try (XnatClient c = client(events)) {
            assertThat(c.projects().count().block()).isPositive();
            assertThat(events.pools).hasSize(1);
            pool = events.pools.get(0);
            assertThat(pool.name()).startsWith("xnat-reactive-");
            assertThat(pool.remoteAddress())
                    .endsWith(":" + java.net.URI.create(xnat.server().baseUrl()).getPort());
            assertThat(pool.max().getAsInt()).isEqualTo(c.maxConnections());
            assertThat(pool.total().getAsInt()).isPositive();
            // while a listing streams its rows, its connection is the one in use (released once the reply ends)
            List<Integer> activeWhileStreaming = new CopyOnWriteArrayList<>();
            assertThat(c.projects()
                            .doOnNext(
                                    p -> activeWhileStreaming.add(pool.active().getAsInt()))
                            .count()
                            .block())
                    .isPositive();
            assertThat(activeWhileStreaming).isNotEmpty().containsOnly(1);
        }
        assertThat(events.closed).singleElement().satisfies(cl -> assertThat(cl.id())
                .isEqualTo(pool.id()));
    }
}
