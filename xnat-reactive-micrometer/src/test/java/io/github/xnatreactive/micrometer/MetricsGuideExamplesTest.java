package io.github.xnatreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/guide/metrics.md, run against the testkit (core's DocSnippetsTest checks that each Java block
 * of the guide is one of the "// doc:" regions here).
 */
class MetricsGuideExamplesTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("P1:2x1x1x2x1K")));

    final MeterRegistry meterRegistry = new SimpleMeterRegistry();
    final ObservationRegistry observationRegistry = ObservationRegistry.create();
    final StoppedObservations recorder = new StoppedObservations();
    final List<Observation.Context> stopped = recorder.stopped;
    final String url = server.server().baseUrl();
    final String user = "admin";
    final String password = "admin";

    {
        observationRegistry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
        observationRegistry.observationConfig().observationHandler(recorder);
    }

    @Test
    void setUp(@TempDir Path dest) {
        // doc:setup
        XnatMicrometer micrometer = XnatMicrometer.of(meterRegistry, observationRegistry);
        XnatClient xnat = micrometer
                .instrument(XnatClient.builder().serverUrl(url).credentials(Credentials.password(user, password)))
                .build();
        BulkClient bulk =
                BulkClient.of(xnat, TransferOptions.defaults().instrument(micrometer.transfers("nightly-mirror")));
        // end
        try (xnat) {
            assertThat(bulk.downloadProject(xnat.project("P1"), dest, Selection.all())
                            .run()
                            .block()
                            .files())
                    .isEqualTo(4);
        }
        assertThat(meterRegistry
                        .get("xnat.bulk.files")
                        .tags("job", "nightly-mirror", "result", "completed")
                        .counter()
                        .count())
                .isEqualTo(4);
        assertThat(meterRegistry.get("xnat.client.requests").timers()).isNotEmpty();
    }

    @Test
    void theCallersTrace() {
        try (XnatClient xnat = XnatMicrometer.of(meterRegistry, observationRegistry)
                .instrument(XnatClient.builder().serverUrl(url).credentials(Credentials.password(user, password)))
                .build()) {
            // doc:trace
            Observation nightly = Observation.start("nightly-import", observationRegistry);
            xnat.project("P1")
                    .subjects()
                    .collectList()
                    .contextWrite(
                            ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, nightly)) // the listing is its child
                    .block();
            nightly.stop();
            // end
        }
        assertThat(stopped)
                .filteredOn(c -> "GET /data/projects/{project}/subjects".equals(c.getContextualName()))
                .singleElement()
                .satisfies(c -> assertThat(
                                c.getParentObservation().getContextView().getName())
                        .isEqualTo("nightly-import"));
    }
}
