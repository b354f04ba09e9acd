package io.github.xnatreactive.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * The examples of this module's Javadoc, run against a real broker and two test servers. Each "// doc:" region is
 * the text of one Javadoc example (whitespace aside): the bulk module's JavadocExamplesTest checks that they agree.
 */
class KafkaApiExamplesTest {
    @RegisterExtension
    static KafkaBroker broker = new KafkaBroker();

    @RegisterExtension
    static XnatTestServerExtension sourceServer =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("SITE:3x2x2x2x1K")));

    /** The site of the graceful stop's example (planned whole, as the planner's example plans its own). */
    @RegisterExtension
    static XnatTestServerExtension drainSource =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DRAIN:2x4x2x2x1K")));

    @RegisterExtension
    static XnatTestServerExtension destServer = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient client(XnatTestServerExtension x) {
        return XnatClient.builder()
                .serverUrl(x.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @Test
    void thePlannerAndWorkerExamplesMigrateASite() throws Exception {
        String bootstrap = String.valueOf(broker.kafka().get("bootstrap.servers"));
        List<String> printed = new CopyOnWriteArrayList<>();
        try (XnatClient source = client(sourceServer);
                XnatClient destination = client(destServer)) {
            MigrationClients clients = (url, isSource) -> isSource ? source : destination;
            // the examples print with System.out.println: this local "System" (which obscures java.lang.System in
            // this block) keeps what they print
            Console System = new Console(printed);

            {
                // doc:planner
                MigrationPlanner.Report r = MigrationPlanner.of(Map.of("bootstrap.servers", bootstrap), "site-2026")
                        .plan(MigrationPlan.mirror("site-2026", source, destination)
                                .tasks())
                        .block();
                System.out.println(r.planned() + " sessions planned, " + r.alreadyPlanned() + " planned before");
                // end
            }
            assertThat(printed).containsExactly("6 sessions planned, 0 planned before");

            Disposable stop;
            {
                // doc:worker
                MigrationWorker worker = MigrationWorker.of(
                        Map.of("bootstrap.servers", bootstrap),
                        "site-2026",
                        clients,
                        MigrationOptions.defaults().concurrency(4));
                Disposable running = worker.run().subscribe(r -> System.out.println(r.label() + " " + r.status()));
                // ... later: running.dispose() stops it as a crash would; the group hands its sessions to the others
                // end
                stop = running;
            }
            try {
                MigrationStatus status = broker.awaitFinished("site-2026", Duration.ofSeconds(60));
                assertThat(status.finished()).as(status.summary()).isTrue();
                assertThat(status.done()).isEqualTo(6);
                assertThat(status.failed()).isZero();
            } finally {
                stop.dispose();
            }
            assertThat(printed.subList(1, printed.size())).hasSize(6).allMatch(line -> line.matches("\\S+ DONE"));
            assertThat(destination.project("SITE").experiments().count().block())
                    .isEqualTo(6);
        }
    }

    @Test
    void theGracefulStopExampleEndsTheWorkerWithEverythingItReportedCommitted() throws Exception {
        String bootstrap = String.valueOf(broker.kafka().get("bootstrap.servers"));
        List<String> printed = new CopyOnWriteArrayList<>();
        try (XnatClient source = client(drainSource);
                XnatClient destination = client(destServer)) {
            MigrationClients clients = (url, isSource) -> isSource ? source : destination;
            Console System = new Console(printed);
            MigrationPlanner.of(broker.kafka(), "drain-2026")
                    .plan(MigrationPlan.mirror("drain-2026", source, destination)
                            .tasks())
                    .block();
            MigrationWorker worker = MigrationWorker.of(
                    Map.of("bootstrap.servers", bootstrap),
                    "drain-2026",
                    clients,
                    MigrationOptions.defaults().concurrency(2));
            Disposable stopped;
            {
                // doc:graceful
                Sinks.Empty<Void> stop = Sinks.empty();
                Disposable running = worker.run(stop.asMono(), Duration.ofSeconds(30))
                        .subscribe(
                                r -> System.out.println(r.label() + " " + r.status()),
                                e -> System.out.println("the worker failed: " + e),
                                () -> System.out.println("the worker stopped"));
                // ... on SIGTERM: no new session; those in flight finish and commit (within 30 s), the flux completes
                stop.tryEmitEmpty();
                // end
                stopped = running;
            }
            // the flux completes by itself, once what was in flight is committed
            assertThat(System.out.awaitLine("the worker stopped", Duration.ofSeconds(60)))
                    .as("the stopped worker completed; printed: %s", printed)
                    .isTrue();
            assertThat(stopped.isDisposed()).isTrue();
            List<String> sessions = printed.subList(0, printed.size() - 1);
            assertThat(sessions).allMatch(line -> line.matches("\\S+ DONE"));
            assertThat(MigrationStatus.read(broker.kafka(), "drain-2026")
                            .block()
                            .done())
                    .isEqualTo(sessions.size());

            // the rest goes to the next worker
            Disposable next = worker.run().subscribe();
            try {
                MigrationStatus status = broker.awaitFinished("drain-2026", Duration.ofSeconds(60));
                assertThat(status.finished()).as(status.summary()).isTrue();
                assertThat(status.done()).isEqualTo(8);
            } finally {
                next.dispose();
            }
        }
    }

    /** Stands for System in the examples: {@code out} keeps what they print, line by line. */
    static final class Console {
        final Lines out;

        Console(List<String> lines) {
            this.out = new Lines(lines);
        }
    }

    record Lines(List<String> lines) {
        void println(String line) {
            synchronized (lines) {
                lines.add(line);
                lines.notifyAll();
            }
        }

        /** Whether {@code line} was printed within {@code timeout}. */
        boolean awaitLine(String line, Duration timeout) throws InterruptedException {
            long deadline = java.lang.System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (!lines.contains(line)) {
                    long left = deadline - java.lang.System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    lines.wait(Math.max(1, left / 1_000_000));
                }
                return true;
            }
        }
    }
}
