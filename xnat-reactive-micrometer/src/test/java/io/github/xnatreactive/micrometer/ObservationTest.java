package io.github.xnatreactive.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One observation (span) per request and per bulk job, parented by the observation the caller put in the Reactor
 * context; the bulk job's meters.
 */
class ObservationTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x2x3x4K")));

    final TestObservationRegistry observations = TestObservationRegistry.create();
    /** The observations stopped, in order (a handler of the registry, as a tracing bridge is). */
    final StoppedObservations recorder = new StoppedObservations();

    final List<Observation.Context> stopped = recorder.stopped;

    {
        observations.observationConfig().observationHandler(recorder);
    }

    XnatClient client(XnatMicrometer micrometer) {
        return micrometer
                .instrument(XnatClient.builder()
                        .serverUrl(xnat.server().baseUrl())
                        .credentials(Credentials.password("admin", "admin")))
                .build();
    }

    @Test
    void eachRequestIsAnObservationUnderTheCallersObservationFromTheReactorContext() {
        Observation caller = Observation.start("caller", observations);
        try (XnatClient c = client(XnatMicrometer.of(observations))) {
            assertThat(c.project("DEMO")
                            .subjects()
                            .count()
                            .contextWrite(ctx -> ctx.put("micrometer.observation", caller))
                            .block())
                    .isEqualTo(1);
        }
        caller.stop();
        assertThat(observations)
                // the login, the listing and the logout on close
                .hasNumberOfObservationsWithNameEqualTo("xnat.client.requests", 3);
        assertThat(stopped)
                .filteredOn(c -> c.getName().equals("xnat.client.requests"))
                .hasSize(3)
                .last()
                .satisfies(logout -> assertThat(logout.getContextualName()).isEqualTo("DELETE /data/JSESSION"));
        assertThat(observations)
                .hasObservationWithNameEqualTo("xnat.client.requests")
                .that()
                .hasContextualNameEqualTo("GET /data/projects/{project}/subjects")
                .hasLowCardinalityKeyValue("method", "GET")
                .hasLowCardinalityKeyValue("uri", "/data/projects/{project}/subjects")
                .hasLowCardinalityKeyValue("status", "200")
                .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                .hasParentObservationEqualTo(caller);
        // the login the listing needed is in the caller's trace too
        assertThat(stopped)
                .filteredOn(c -> "GET /data/JSESSION".equals(c.getContextualName()))
                .singleElement()
                .satisfies(login -> assertThat(login.getParentObservation()).isSameAs(caller));
    }

    @Test
    void aBulkJobIsOneObservationParentOfItsRequestsWithItsMeters(@TempDir Path dest) {
        MockClock clock = new MockClock();
        SimpleMeterRegistry meters = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        XnatMicrometer micrometer = XnatMicrometer.of(meters, observations);
        List<Long> activeSeen = new CopyOnWriteArrayList<>();
        TransferReport report;
        try (XnatClient c = client(micrometer)) {
            BulkClient bulk = BulkClient.of(c, TransferOptions.defaults().instrument(micrometer.transfers("nightly")));
            report = bulk.download(
                            c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1"), dest, Selection.all())
                    .events()
                    .doOnNext(e -> {
                        if (e instanceof TransferEvent.Started) {
                            activeSeen.add((long) meters.get("xnat.bulk.active.files")
                                    .tag("job", "nightly")
                                    .gauge()
                                    .value());
                        }
                    })
                    .ofType(TransferEvent.Finished.class)
                    .blockLast()
                    .report();
        }
        assertThat(report.succeeded()).as(report.summary()).isTrue();
        assertThat(report.files()).isEqualTo(6);

        Observation.Context job = stopped.stream()
                .filter(c -> c.getName().equals("xnat.bulk.jobs"))
                .findFirst()
                .orElseThrow();
        assertThat(job.getLowCardinalityKeyValue("job").getValue()).isEqualTo("nightly");
        assertThat(job.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("SUCCESS");
        assertThat(job.getHighCardinalityKeyValue("files").getValue()).isEqualTo("6");
        // every file's request of the job is a child of the job's observation
        List<Observation.Context> downloads = stopped.stream()
                .filter(c -> c.getName().equals("xnat.client.requests"))
                .filter(c -> c.getContextualName().contains("/files/"))
                .toList();
        assertThat(downloads).hasSize(6);
        assertThat(downloads).allSatisfy(d -> assertThat(d.getParentObservation())
                .isNotNull()
                .satisfies(p -> assertThat(p.getContextView().getName()).isEqualTo("xnat.bulk.jobs")));

        assertThat(meters.get("xnat.bulk.bytes").tag("job", "nightly").counter().count())
                .isEqualTo(6 * 4096);
        assertThat(meters.get("xnat.bulk.files")
                        .tags("job", "nightly", "result", "completed")
                        .counter()
                        .count())
                .isEqualTo(6);
        assertThat(meters.get("xnat.bulk.files")
                        .tags("job", "nightly", "result", "failed")
                        .counter()
                        .count())
                .isZero();
        // files in flight were counted while the job ran, and none is left once it is over
        assertThat(activeSeen).hasSize(6).allMatch(n -> n >= 1);
        assertThat(meters.get("xnat.bulk.active.files").gauge().value()).isZero();
        // throughput: the bytes of the last whole seconds, per second (all moved within the mock clock's one second)
        clock.add(Duration.ofSeconds(1));
        assertThat(meters.get("xnat.bulk.throughput").gauge().value()).isEqualTo(6 * 4096 / 10.0);
        clock.add(Duration.ofSeconds(10));
        assertThat(meters.get("xnat.bulk.throughput").gauge().value()).isZero();
    }
}
