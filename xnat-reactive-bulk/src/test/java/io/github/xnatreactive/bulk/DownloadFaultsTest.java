package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.expectedScanFiles;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static io.github.xnatreactive.bulk.BulkTesting.md5;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project download while the server drops connections mid-body, answers 503 with Retry-After, and forgets every
 * session in the middle of the run: it must end with every file in place and verified, and nothing else.
 */
class DownloadFaultsTest {
    private static final String FAULTS = "drop=0.05,drop-after=2000,unavailable=0.05,retry-after=1,seed=7";

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x2x3x5x8K")));

    @Test
    void projectDownloadUnderFaultsEndsCompleteAndVerified(@TempDir Path dest) throws Exception {
        Map<String, FileEntry> expected;
        try (XnatClient plain = client(xnat)) {
            expected = expectedScanFiles(plain, "DEMO"); // listed before the faults start
        }
        assertThat(expected).hasSize(60);
        long faultsBefore = xnat.server().injectedFaults();
        xnat.server().faults(FaultSpec.parse(FAULTS));
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger completed = new AtomicInteger();
        AtomicLong completedAfterExpiry = new AtomicLong();
        try (XnatClient c = client(xnat)) {
            TransferReport report = BulkClient.of(c, fast())
                    .downloadProject(c.project("DEMO"), dest, Selection.all())
                    .events()
                    .doOnNext(e -> {
                        events.add(e);
                        if (e instanceof TransferEvent.Completed) {
                            int n = completed.incrementAndGet();
                            if (n == 20) {
                                xnat.server().expireSessions(); // every later request meets a dead session
                            } else if (n > 20) {
                                completedAfterExpiry.incrementAndGet();
                            }
                        }
                    })
                    .ofType(TransferEvent.Finished.class)
                    .blockLast()
                    .report();

            assertThat(report.succeeded())
                    .as(report.summary() + " " + report.failed())
                    .isTrue();
            assertThat(report.files()).isEqualTo(60);
            assertThat(report.skipped()).isZero();
            assertThat(report.bytes())
                    .as("bytes of completed files, not of cut attempts")
                    .isEqualTo(60L * 8192);
            assertThat(completedAfterExpiry.get())
                    .as("files moved after the session expiry")
                    .isEqualTo(40);

            long injected = xnat.server().injectedFaults() - faultsBefore;
            assertThat(injected).as("faults injected").isPositive();
            long retriedEvents = events.stream()
                    .filter(e -> e instanceof TransferEvent.Retried)
                    .count();
            List<String> causes = events.stream()
                    .filter(e -> e instanceof TransferEvent.Retried)
                    .map(e -> ((TransferEvent.Retried) e).cause())
                    .toList();
            assertThat(causes).as("a body cut short").anyMatch(m -> m.contains("prematurely closed"));
            assertThat(causes).as("a 503").anyMatch(m -> m.contains("503"));
            assertThat(report.retried()).as("retries in the report").isPositive();
            assertThat(retriedEvents).as("Retried events").isEqualTo(report.retried());
            assertThat(events.stream().filter(e -> e instanceof TransferEvent.Failed))
                    .isEmpty();
            // the plan streams: its totals come once the listing is complete, the parts before them
            assertThat(planned(events)).hasSize(1);
            assertThat(planned(events).get(0).files()).isEqualTo(60);
            assertThat(events.stream()
                            .filter(e -> e instanceof TransferEvent.Listed)
                            .mapToLong(e -> ((TransferEvent.Listed) e).files())
                            .sum())
                    .isEqualTo(60);
            assertThat(events.get(events.size() - 1)).isInstanceOf(TransferEvent.Finished.class);
        } finally {
            xnat.server().faults(FaultSpec.none());
        }

        // every file in place with the server's size and MD5, and nothing else
        TreeSet<String> want = new TreeSet<>(expected.keySet());
        for (String session : List.of(
                "DEMO/DEMO_S001/DEMO_S001_MR1",
                "DEMO/DEMO_S001/DEMO_S001_MR2",
                "DEMO/DEMO_S002/DEMO_S002_MR1",
                "DEMO/DEMO_S002/DEMO_S002_MR2")) {
            want.add(session + "/xnat-session.json");
        }
        assertThat(localFiles(dest)).containsExactlyElementsOf(want);
        for (Map.Entry<String, FileEntry> e : expected.entrySet()) {
            Path f = dest.resolve(e.getKey());
            assertThat(Files.size(f)).as(e.getKey()).isEqualTo(e.getValue().size());
            assertThat(md5(f)).as(e.getKey()).isEqualToIgnoringCase(e.getValue().digest());
        }
    }

    static List<TransferEvent.Planned> planned(List<TransferEvent> events) {
        return events.stream()
                .filter(e -> e instanceof TransferEvent.Planned)
                .map(e -> (TransferEvent.Planned) e)
                .toList();
    }
}
