package io.github.xnatreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.core.XnatServerException;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's meters, recorded from real requests to the testkit. */
class ClientMetricsTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x1x1x1K")));

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void noFaults() {
        xnat.server().faults(FaultSpec.none());
    }

    XnatClient client(RetryPolicy retry) {
        return XnatMicrometer.of(registry)
                .instrument(XnatClient.builder()
                        .serverUrl(xnat.server().baseUrl())
                        .credentials(Credentials.password("admin", "admin"))
                        .retryPolicy(retry))
                .build();
    }

    Timer timer(String uri, String status) {
        return registry.find("xnat.client.requests")
                .tags("method", "GET", "uri", uri, "status", status)
                .timer();
    }

    @Test
    void eachRequestIsTimedByMethodTemplatedPathStatusAndOutcome() {
        try (XnatClient c = client(RetryPolicy.defaults())) {
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(2);
            assertThat(c.project("DEMO").subjects().count().block()).isEqualTo(2);
            assertThatThrownBy(() -> c.project("NOPE").subjects().blockLast())
                    .isInstanceOf(XnatNotFoundException.class);
            // a raw request names its path as given: the meters reduce it to its template
            assertThat(c.request(XnatRequest.get("/data/projects/DEMO/subjects"))
                            .text()
                            .block())
                    .isNotEmpty();
        }
        Timer ok = timer("/data/projects/{project}/subjects", "200");
        assertThat(ok).isNotNull();
        assertThat(ok.count()).isEqualTo(3);
        assertThat(ok.getId().getTag("outcome")).isEqualTo("SUCCESS");
        assertThat(ok.getId().getTag("exception")).isEqualTo("none");
        assertThat(ok.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        Timer missing = timer("/data/projects/{project}/subjects", "404");
        assertThat(missing.count()).isEqualTo(1);
        assertThat(missing.getId().getTag("outcome")).isEqualTo("CLIENT_ERROR");
        assertThat(missing.getId().getTag("exception")).isEqualTo("XnatNotFoundException");
        // the login is a request too
        assertThat(timer("/data/JSESSION", "200").count()).isEqualTo(1);
        // no tag value anywhere holds an ID or a label
        assertThat(registry.getMeters())
                .flatMap(m -> m.getId().getTags())
                .extracting(Tag::getValue)
                .noneMatch(v -> v.contains("DEMO") || v.contains("NOPE"));
    }

    @Test
    void retriesAndSessionRenewalsAreCounted() {
        RetryPolicy twice = RetryPolicy.defaults()
                .maxAttempts(2)
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5));
        try (XnatClient c = client(twice)) {
            assertThat(c.projects().count().block()).isPositive();
            xnat.server().expireSessions();
            assertThat(c.projects().count().block()).isPositive();
            xnat.server().faults(FaultSpec.parse("unavailable=1.0,retry-after=0"));
            assertThatThrownBy(() -> c.project("DEMO").subjects().blockLast()).isInstanceOf(XnatServerException.class);
        }
        assertThat(registry.get("xnat.client.session.renewals").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("xnat.client.retries")
                        .tags("method", "GET", "uri", "/data/projects/{project}/subjects")
                        .tag("exception", "XnatServerException")
                        .counter()
                        .count())
                .isEqualTo(1);
        Timer failed = timer("/data/projects/{project}/subjects", "503");
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.getId().getTag("outcome")).isEqualTo("SERVER_ERROR");
    }

    @Test
    void thePoolsGaugesAreReactorNettysOwnWhileTheClientIsOpen() {
        try (XnatClient c = client(RetryPolicy.defaults())) {
            assertThat(c.projects().count().block()).isPositive();
            Meter max = registry.get("reactor.netty.connection.provider.max.connections")
                    .meter();
            assertThat(max.getId().getTag("name")).startsWith("xnat-reactive-");
            assertThat(max.getId().getTag("remote.address")).isNotBlank();
            assertThat(registry.get("reactor.netty.connection.provider.max.connections")
                            .gauge()
                            .value())
                    .isEqualTo(c.maxConnections());
            assertThat(registry.get("reactor.netty.connection.provider.total.connections")
                            .gauge()
                            .value())
                    .isPositive();
            // while a listing streams its rows, its connection is the one in use (released once the reply ends)
            List<Double> activeWhileStreaming = new CopyOnWriteArrayList<>();
            assertThat(c.projects()
                            .doOnNext(p -> activeWhileStreaming.add(
                                    registry.get("reactor.netty.connection.provider.active.connections")
                                            .gauge()
                                            .value()))
                            .count()
                            .block())
                    .isPositive();
            assertThat(activeWhileStreaming).isNotEmpty().containsOnly(1.0);
            assertThat(registry.find("reactor.netty.connection.provider.idle.connections")
                            .gauge())
                    .isNotNull();
            assertThat(registry.find("reactor.netty.connection.provider.pending.connections")
                            .gauge())
                    .isNotNull();
        }
        assertThat(registry.find("reactor.netty.connection.provider.max.connections")
                        .gauges())
                .isEmpty();
    }
}
