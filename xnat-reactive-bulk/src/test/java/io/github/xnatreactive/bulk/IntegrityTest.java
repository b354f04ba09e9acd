package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.expectedScanFiles;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static io.github.xnatreactive.bulk.BulkTesting.md5;
import static io.github.xnatreactive.bulk.BulkTesting.partFiles;
import static io.github.xnatreactive.bulk.BulkTesting.serverFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A file whose bytes no longer match its listed MD5 is retried, then reported, while the others succeed. */
class IntegrityTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x3x4x8K")));

    static XnatClient c;
    static Map<String, FileEntry> expected;
    static String tamperedLocal;
    static String tamperedRemote;

    @BeforeAll
    static void tamper() throws Exception {
        c = client(xnat);
        expected = expectedScanFiles(c, "DEMO");
        assertThat(expected).hasSize(12);
        Map.Entry<String, FileEntry> victim = new ArrayList<>(expected.entrySet()).get(5);
        tamperedLocal = victim.getKey();
        tamperedRemote = victim.getValue().path();
        Path onDisk = serverFile(xnat, victim.getValue().digest());
        byte[] bytes = Files.readAllBytes(onDisk);
        bytes[bytes.length - 10] ^= 0x01; // same size, other MD5 than the listing's
        Files.write(onDisk, bytes);
        assertThat(md5(onDisk)).isNotEqualToIgnoringCase(victim.getValue().digest());
    }

    @AfterAll
    static void close() {
        c.close();
    }

    @Test
    void digestMismatchIsRetriedThenReportedWhileTheRestSucceeds(@TempDir Path dest) throws Exception {
        int maxAttempts = 3;
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferReport report = BulkClient.of(c, fast().maxAttempts(maxAttempts))
                .downloadProject(c.project("DEMO"), dest, Selection.all())
                .events()
                .doOnNext(events::add)
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();

        assertThat(report.succeeded()).isFalse();
        assertThat(report.files()).isEqualTo(11);
        assertThat(report.failed()).hasSize(1);
        TransferReport.FailedItem failed = report.failed().get(0);
        assertThat(failed.item().source()).endsWith("/files/" + tamperedRemote);
        assertThat(failed.cause()).contains("XnatIntegrityException").contains("MD5");

        List<TransferEvent> mine = events.stream()
                .filter(e -> !(e instanceof TransferEvent.Finished))
                .filter(e -> e.toString().contains(tamperedRemote))
                .toList();
        assertThat(mine.stream().filter(e -> e instanceof TransferEvent.Started))
                .as("attempts")
                .hasSize(maxAttempts);
        assertThat(mine.stream().filter(e -> e instanceof TransferEvent.Retried))
                .as("retries")
                .hasSize(maxAttempts - 1)
                .allMatch(e -> ((TransferEvent.Retried) e).cause().contains("MD5"));
        assertThat(mine.get(mine.size() - 1)).isInstanceOf(TransferEvent.Failed.class);
        assertThat(mine).noneMatch(e -> e instanceof TransferEvent.Completed);
        assertThat(report.retried()).isEqualTo(maxAttempts - 1);

        // the bad file never reaches its final path; every other one is there and verified
        assertThat(dest.resolve(tamperedLocal)).doesNotExist();
        assertThat(partFiles(dest)).isEmpty();
        for (Map.Entry<String, FileEntry> e : expected.entrySet()) {
            if (!e.getKey().equals(tamperedLocal)) {
                assertThat(md5(dest.resolve(e.getKey())))
                        .isEqualToIgnoringCase(e.getValue().digest());
            }
        }
        assertThat(localFiles(dest)).hasSize(11 + 1); // and the session metadata
    }

    @Test
    void failFastStopsTheJobWithTheReport(@TempDir Path dest) {
        Throwable t =
                catchThrowable(() -> BulkClient.of(c, fast().maxAttempts(2).failFast(true))
                        .downloadProject(c.project("DEMO"), dest, Selection.all())
                        .run()
                        .block());
        assertThat(t).isInstanceOf(TransferFailedFastException.class);
        assertThat(t.getCause()).isInstanceOf(io.github.xnatreactive.core.XnatIntegrityException.class);
        TransferReport report = ((TransferFailedFastException) t).report();
        assertThat(report.succeeded()).isFalse();
        assertThat(report.failed()).hasSize(1);
        assertThat(report.failed().get(0).item().source()).endsWith("/files/" + tamperedRemote);
        assertThat(report.files()).isLessThanOrEqualTo(11);
    }
}
