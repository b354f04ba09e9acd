package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatTransportException;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that sends the headers and a little of a file and then nothing, keeping the connection open, cannot
 * hold a download: the stall deadline fails the attempt (the client's response timeout alone would wait 60 s per
 * read), the attempt is retried like a dropped connection, and a file that stalls every time fails with a message
 * that says so, leaving no temporary file.
 */
class StallTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("STALL:1x1x1x3x64K")));

    static final FaultSpec STALL = FaultSpec.parse("stall=1,stall-after=100,route=/data/experiments/**");

    static TransferOptions options() {
        return fast().archive(ArchiveMode.NEVER).maxAttempts(2).stallDeadline(Duration.ofMillis(300), 4096);
    }

    @AfterEach
    void noFaults() {
        xnat.server().faults(FaultSpec.none());
    }

    @Test
    void aFileThatStallsEveryTimeFailsAsStalled(@TempDir Path dest) throws Exception {
        try (XnatClient c = client(xnat)) {
            xnat.server().faults(STALL);
            TransferReport r = BulkClient.of(c, options())
                    .downloadProject(c.project("STALL"), dest, Selection.all())
                    .run()
                    .block(Duration.ofSeconds(60));
            assertThat(r.files()).isZero();
            assertThat(r.failed()).hasSize(3);
            assertThat(r.failed()).allSatisfy(f -> {
                assertThat(f.error()).isInstanceOf(XnatTransportException.class);
                assertThat(f.cause()).contains("stalled").contains("stallDeadline");
            });
            assertThat(r.retried()).isEqualTo(3);
            assertThat(localFiles(dest)).noneMatch(p -> p.endsWith(".part") || p.endsWith(".dcm"));
        }
    }

    @Test
    void aStalledAttemptIsRetriedAndTheFileArrives(@TempDir Path dest) throws Exception {
        try (XnatClient c = client(xnat)) {
            xnat.server().faults(STALL);
            TransferReport r = BulkClient.of(c, options())
                    .downloadProject(c.project("STALL"), dest, Selection.all())
                    .events()
                    .doOnNext(e -> {
                        if (e instanceof TransferEvent.Retried) {
                            xnat.server().faults(FaultSpec.none()); // the server recovers
                        }
                    })
                    .ofType(TransferEvent.Finished.class)
                    .blockLast(Duration.ofSeconds(60))
                    .report();
            assertThat(r.succeeded()).as(r.failed().toString()).isTrue();
            assertThat(r.files()).isEqualTo(3);
            assertThat(r.retried()).isPositive();
            assertThat(localFiles(dest)).filteredOn(p -> p.endsWith(".dcm")).hasSize(3);
            assertThat(localFiles(dest)).noneMatch(p -> p.endsWith(".part"));
        }
    }
}
