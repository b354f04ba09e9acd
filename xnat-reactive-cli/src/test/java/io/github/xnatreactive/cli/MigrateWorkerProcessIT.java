package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.kafka.KafkaBroker;
import io.github.xnatreactive.kafka.MigrationOptions;
import io.github.xnatreactive.kafka.MigrationPlan;
import io.github.xnatreactive.kafka.MigrationPlanner;
import io.github.xnatreactive.kafka.MigrationStatus;
import io.github.xnatreactive.kafka.MigrationWorker;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * {@code migrate worker} as a process of its own, stopped with SIGTERM in the middle of a job (as a container is
 * stopped): it starts no new session, finishes and commits the ones in flight, leaves the group and exits as
 * interrupted; another worker does the rest, and every session is done once.
 */
class MigrateWorkerProcessIT {
    @RegisterExtension
    static KafkaBroker broker = new KafkaBroker();

    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("T:4x10x2x1x1K")));

    @RegisterExtension
    static XnatTestServerExtension target = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    @TempDir
    Path tmp;

    static XnatClient client(XnatTestServerExtension x) {
        return XnatClient.builder()
                .serverUrl(x.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @Test
    void sigtermStopsAWorkerGracefully() throws Exception {
        try (XnatClient src = client(source);
                XnatClient dst = client(target)) {
            MigrationPlanner.Report planned = MigrationPlanner.of(broker.kafka(), "term")
                    .partitions(4)
                    .plan(MigrationPlan.mirror("term", src, dst).tasks())
                    .block();
            assertThat(planned.planned()).isEqualTo(40);

            Path err = tmp.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(
                            CliProcessIT.java(),
                            "-Xmx256m",
                            "-jar",
                            CliProcessIT.JAR.toString(),
                            "migrate",
                            "worker",
                            "--job",
                            "term",
                            "--from",
                            source.server().baseUrl(),
                            "--to",
                            target.server().baseUrl(),
                            "--concurrency",
                            "4",
                            "--id",
                            "p1",
                            "--drain",
                            "60s")
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().put("HOME", tmp.resolve("home").toString());
            pb.environment().put("XNAT_USER", "admin");
            pb.environment().put("XNAT_PASS", "admin");
            pb.environment().put("XNAT_TO_USER", "admin");
            pb.environment().put("XNAT_TO_PASS", "admin");
            pb.environment().put("XNAT_MIGRATE_KAFKA", broker.bootstrap());
            Process p = pb.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> atSigterm = new CompletableFuture<>();
            CompletableFuture<Void> threeDone = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                        if (lines.stream().filter(l -> l.startsWith("done ")).count() >= 3) {
                            threeDone.complete(null);
                        }
                    }
                } catch (java.io.IOException e) {
                    threeDone.completeExceptionally(e);
                }
            });
            reader.start();
            try {
                threeDone.get(90, TimeUnit.SECONDS);
                // the sessions in flight stay so for a while: every destination request now waits 300 ms
                target.server().faults(FaultSpec.none().latency(Duration.ofMillis(300)));
                atSigterm.complete(
                        (int) lines.stream().filter(l -> l.startsWith("done ")).count());
                // SIGTERM, as a container's stop sends it (not Process.destroy, which closes our end of the
                // process's output too); lines printed between the count and the signal count as after it: the
                // bounds below allow for them
                assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                                .start()
                                .waitFor())
                        .isZero();
                assertThat(p.waitFor(90, TimeUnit.SECONDS))
                        .as("ended after SIGTERM")
                        .isTrue();
                reader.join(10_000);
            } finally {
                p.destroyForcibly();
                target.server().faults(FaultSpec.none());
            }
            String stderr = Files.readString(err);
            assertThat(p.exitValue()).as(stderr).isEqualTo(143);
            java.util.regex.Matcher said = java.util.regex.Pattern.compile(
                            "stopping after (\\d+) sessions: no new session; the ([1-4]) in flight finish and commit"
                                    + " first \\(at most 60 s\\)")
                    .matcher(stderr);
            assertThat(said.find()).as(stderr).isTrue();
            long before = Long.parseLong(said.group(1));
            assertThat(before).isGreaterThanOrEqualTo(atSigterm.get());
            long done = lines.stream().filter(l -> l.startsWith("done ")).count();
            // the sessions in flight at the signal were finished and reported (a slow destination kept some so)
            assertThat(done)
                    .as(String.join("\n", lines) + "\n--- stderr:\n" + CliProcessIT.tail(stderr))
                    .isGreaterThan(before);
            // and no more than they: four at once (the count is taken when the stop took effect, so a session that
            // started between the signal and then is in it)
            assertThat(done).isLessThanOrEqualTo(before + 4);
            assertThat(lines).anyMatch(l -> l.matches(done + " sessions done, 0 failed; .*"));
            // every session it printed is committed
            assertThat(MigrationStatus.read(broker.kafka(), "term").block().done())
                    .isEqualTo(done);

            // another worker does the rest: every session once
            Disposable next = MigrationWorker.of(
                            broker.kafka(),
                            "term",
                            (url, isSource) -> isSource ? src : dst,
                            MigrationOptions.defaults())
                    .run()
                    .subscribe();
            try {
                MigrationStatus status = broker.awaitFinished("term", Duration.ofSeconds(90));
                assertThat(status.finished()).as(status.summary()).isTrue();
                assertThat(status.done()).isEqualTo(40);
                assertThat(status.failed()).isZero();
            } finally {
                next.dispose();
            }
            assertThat(dst.project("T").experiments().count().block()).isEqualTo(40);
        }
    }
}
