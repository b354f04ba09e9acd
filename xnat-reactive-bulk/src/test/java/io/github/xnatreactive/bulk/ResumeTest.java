package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.expectedScanFiles;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static io.github.xnatreactive.bulk.BulkTesting.md5;
import static io.github.xnatreactive.bulk.BulkTesting.partFiles;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A cancelled download leaves nothing partial behind, and a rerun moves only what is missing or wrong. */
class ResumeTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x2x3x10x32K")));

    static XnatClient c;
    static Map<String, FileEntry> expected;

    @BeforeAll
    static void connect() {
        c = client(xnat);
        expected = expectedScanFiles(c, "DEMO");
        assertThat(expected).hasSize(60);
    }

    @AfterAll
    static void close() {
        c.close();
    }

    Transfer download(Path dest) {
        return BulkClient.of(c, fast().concurrency(4).adaptive(false))
                .downloadProject(c.project("DEMO"), dest, Selection.all());
    }

    /** The expected files present locally with the right bytes; fails on a final path holding wrong bytes. */
    int verifiedLocalFiles(Path dest) throws Exception {
        int complete = 0;
        for (Map.Entry<String, FileEntry> e : expected.entrySet()) {
            Path f = dest.resolve(e.getKey());
            if (Files.exists(f)) {
                assertThat(md5(f))
                        .as("a final path holds only a complete, verified file: " + e.getKey())
                        .isEqualToIgnoringCase(e.getValue().digest());
                complete++;
            }
        }
        return complete;
    }

    @Test
    void cancelledDownloadResumesWithTheRemainder(@TempDir Path dest) throws Exception {
        AtomicInteger completed = new AtomicInteger();
        List<TransferEvent> seen = Collections.synchronizedList(new ArrayList<>());
        download(dest)
                .events()
                .doOnNext(seen::add)
                .takeUntil(e -> e instanceof TransferEvent.Completed && completed.incrementAndGet() == 20)
                .blockLast();
        assertThat(completed).hasValue(20);
        assertThat(seen).noneMatch(e -> e instanceof TransferEvent.Finished);

        assertThat(partFiles(dest)).as("temporary files left after the cancel").isEmpty();
        int complete = verifiedLocalFiles(dest);
        assertThat(complete).isBetween(20, 59);
        assertThat(localFiles(dest))
                .as("nothing outside the expected files and the session metadata")
                .allMatch(p -> expected.containsKey(p) || p.endsWith("/xnat-session.json"));

        TransferReport again = download(dest).run().block();
        assertThat(again.succeeded()).as(again.summary() + " " + again.failed()).isTrue();
        assertThat(again.skipped()).as("already complete").isEqualTo(complete);
        assertThat(again.files()).as("the remainder").isEqualTo(60 - complete);
        assertThat(again.bytes()).isEqualTo((60L - complete) * 32 * 1024);
        assertThat(verifiedLocalFiles(dest)).isEqualTo(60);
        assertThat(partFiles(dest)).isEmpty();
    }

    @Test
    void aLocalFileCorruptedAfterDownloadIsDownloadedAgain(@TempDir Path dest) throws Exception {
        TransferReport first = download(dest).run().block();
        assertThat(first.succeeded()).as(first.summary() + " " + first.failed()).isTrue();
        assertThat(first.files()).isEqualTo(60);

        List<String> paths = new ArrayList<>(expected.keySet());
        Path flipped = dest.resolve(paths.get(7)); // same size, one byte changed
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(flipped, bytes);
        Path truncated = dest.resolve(paths.get(33));
        Files.write(truncated, new byte[] {1, 2, 3});

        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        TransferReport again = download(dest)
                .events()
                .doOnNext(events::add)
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        assertThat(again.succeeded()).as(again.summary() + " " + again.failed()).isTrue();
        assertThat(again.files()).isEqualTo(2);
        assertThat(again.skipped()).isEqualTo(58);
        assertThat(events.stream()
                        .filter(e -> e instanceof TransferEvent.Completed)
                        .map(e -> ((TransferEvent.Completed) e).item().target()))
                .containsExactlyInAnyOrder(flipped.toString(), truncated.toString());
        assertThat(verifiedLocalFiles(dest)).isEqualTo(60);
    }
}
