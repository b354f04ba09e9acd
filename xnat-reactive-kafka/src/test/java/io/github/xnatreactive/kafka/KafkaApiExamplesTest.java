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
                MigrationStatus status = null;
                long deadline =
                        java.lang.System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (java.lang.System.nanoTime() < deadline) {
                    status = MigrationStatus.read(broker.kafka(), "site-2026").block();
                    if (status.finished()) {
                        break;
                    }
                }
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

    /** Stands for System in the examples: {@code out} keeps what they print, line by line. */
    static final class Console {
        final Lines out;

        Console(List<String> lines) {
            this.out = new Lines(lines);
        }
    }

    record Lines(List<String> lines) {
        void println(String line) {
            lines.add(line);
        }
    }
}
