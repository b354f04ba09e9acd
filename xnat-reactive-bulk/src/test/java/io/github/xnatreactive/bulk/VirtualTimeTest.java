package io.github.xnatreactive.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The engine waits on the client's scheduler: a file's hour-long backoff passes when a test moves virtual time on,
 * and not before.
 */
class VirtualTimeTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("VT:1x1x1x1x2K")));

    @TempDir
    Path dest;

    @Test
    void aFilesBackoffRunsOnTheClientsScheduler() throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        server.server().faults(FaultSpec.parse("drop=1.0,drop-after=100,seed=5"));
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .scheduler(time)
                .build()) {
            CountDownLatch retried = new CountDownLatch(1);
            TransferOptions hourLong = TransferOptions.defaults()
                    .archive(ArchiveMode.NEVER)
                    .maxAttempts(2)
                    .backoff(Duration.ofHours(1), Duration.ofHours(1));
            CompletableFuture<TransferReport> report = BulkClient.of(xnat, hourLong)
                    .downloadProject(xnat.project("VT"), dest, Selection.all())
                    .events()
                    .doOnNext(e -> {
                        if (e instanceof TransferEvent.Retried) {
                            retried.countDown();
                        }
                    })
                    .ofType(TransferEvent.Finished.class)
                    .map(TransferEvent.Finished::report)
                    .next()
                    .toFuture();
            assertThat(retried.await(60, TimeUnit.SECONDS)).isTrue();
            // the second attempt waits for an hour of the client's time: nothing happens until it passes
            assertThat(report).isNotDone();
            time.advanceTimeBy(Duration.ofHours(2));
            TransferReport r = report.get(60, TimeUnit.SECONDS);
            assertThat(r.failed()).hasSize(1);
            assertThat(r.retried()).isEqualTo(1);
        } finally {
            server.server().faults(FaultSpec.none());
            time.dispose();
        }
    }
}
