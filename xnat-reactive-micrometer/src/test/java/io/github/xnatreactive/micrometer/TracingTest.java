package io.github.xnatreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a tracer behind the observation registry (Micrometer Tracing's handler, as with the OpenTelemetry or Brave
 * bridge), the caller's span is the parent of each request's span and of a bulk job's span, whose children are the
 * job's file requests: one trace.
 */
class TracingTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x1x2x2K")));

    @Test
    void requestsAndBulkJobsAreSpansOfTheCallersTrace(@TempDir Path dest) {
        SimpleTracer tracer = new SimpleTracer();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        XnatMicrometer micrometer = XnatMicrometer.of(registry);
        Observation caller = Observation.start("caller", registry);
        try (XnatClient c = micrometer
                .instrument(XnatClient.builder()
                        .serverUrl(xnat.server().baseUrl())
                        .credentials(Credentials.password("admin", "admin")))
                .build()) {
            assertThat(c.project("DEMO")
                            .subjects()
                            .count()
                            .contextWrite(ctx -> ctx.put("micrometer.observation", caller))
                            .block())
                    .isEqualTo(1);
            BulkClient bulk = BulkClient.of(c, TransferOptions.defaults().instrument(micrometer.transfers("copy")));
            assertThat(bulk.downloadProject(c.project("DEMO"), dest, Selection.all())
                            .run()
                            .contextWrite(ctx -> ctx.put("micrometer.observation", caller))
                            .block()
                            .files())
                    .isEqualTo(2);
        }
        caller.stop();

        List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
        SimpleSpan root = one(spans, "caller");
        // the logout on close belongs to no caller: a trace of its own
        SimpleSpan logout = one(spans, "DELETE /data/JSESSION");
        assertThat(logout.getParentId()).isEmpty();
        assertThat(spans).filteredOn(s -> s != logout).allSatisfy(s -> assertThat(s.getTraceId())
                .isEqualTo(root.getTraceId()));
        SimpleSpan job = one(spans, "xnat bulk copy");
        // the caller's listing is the caller's child; the job lists the project's subjects too, as its child
        List<SimpleSpan> listings = spans.stream()
                .filter(s -> s.getName().equals("GET /data/projects/{project}/subjects"))
                .toList();
        assertThat(listings)
                .extracting(SimpleSpan::getParentId)
                .containsExactlyInAnyOrder(root.getSpanId(), job.getSpanId());
        assertThat(listings.get(0).getTags())
                .containsEntry("uri", "/data/projects/{project}/subjects")
                .containsEntry("status", "200");
        assertThat(job.getParentId()).isEqualTo(root.getSpanId());
        assertThat(job.getTags()).containsEntry("outcome", "SUCCESS").containsEntry("files", "2");
        assertThat(spans)
                .filteredOn(s -> s.getName().contains("/files/"))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.getParentId()).isEqualTo(job.getSpanId()));
    }

    private static SimpleSpan one(List<SimpleSpan> spans, String name) {
        return spans.stream()
                .filter(s -> name.equals(s.getName()))
                .reduce((a, b) -> {
                    throw new AssertionError("two spans named " + name);
                })
                .orElseThrow(() -> new AssertionError("no span named " + name + " in " + spans));
    }
}
