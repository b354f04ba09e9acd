package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.kafka.KafkaBroker;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code migrate} between two test servers: without a broker (planner and worker in one process), and
 * {@code migrate plan}, {@code worker} and {@code status} through a real broker in the test JVM.
 */
class MigrateCliTest {
    @RegisterExtension
    static KafkaBroker broker = new KafkaBroker();

    @RegisterExtension
    static XnatTestServerExtension source = new XnatTestServerExtension(b -> b.user("admin", "admin")
            .seed(SeedSpec.parse("M1:2x3x1x2x2K"))
            .seed(SeedSpec.parse("M2:1x2x1x2x2K"))
            .seed(SeedSpec.parse("K:2x3x1x2x1K")));

    @RegisterExtension
    static XnatTestServerExtension target = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    @TempDir
    Path tmp;

    CliRunner.Run run(String... args) {
        return run(true, args);
    }

    /** Runs the command line with the servers' logins, and the broker in {@code $XNAT_MIGRATE_KAFKA} or not. */
    CliRunner.Run run(boolean broker, String... args) {
        Map<String, String> env = new HashMap<>(Map.of(
                "XNAT_HOST", source.server().baseUrl(),
                "XNAT_USER", "admin",
                "XNAT_PASS", "admin",
                "XNAT_TO_USER", "admin",
                "XNAT_TO_PASS", "admin"));
        if (broker) {
            env.put("XNAT_MIGRATE_KAFKA", MigrateCliTest.broker.bootstrap());
        }
        return CliRunner.run(env, tmp.resolve("home"), p -> null, false, args);
    }

    @Test
    void migratesProjectsInOneProcessAndARerunMovesNothing() {
        CliRunner.Run r = run(
                "migrate",
                "--to",
                target.server().baseUrl(),
                "--project",
                "M1",
                "--project",
                "M2",
                "--concurrency",
                "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("done   M1/M1_S001_MR1 (").contains("done   M2/M2_S001_MR2 (");
        assertThat(r.out()).contains("8 sessions done, 0 failed; 16 files");
        assertThat(run("ls", "--server", target.server().baseUrl(), "/projects/M1/experiments")
                        .out()
                        .lines()
                        .filter(l -> l.contains("M1_S0")))
                .hasSize(6);

        CliRunner.Run again =
                run("migrate", "--to", target.server().baseUrl(), "--project", "M1", "--project", "M2", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = again.out().lines().map(json::readTree).toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.subList(0, 8)).allSatisfy(n -> {
            assertThat(n.get("status").asString()).isEqualTo("DONE");
            assertThat(n.get("files").asLong()).isZero();
            assertThat(n.get("skipped").asLong()).isEqualTo(2);
        });
        assertThat(lines.get(8).get("done").asLong()).isEqualTo(8);
    }

    @Test
    void downloadsTheGivenProjectsIntoAFolder() throws Exception {
        Path dir = tmp.resolve("site");
        CliRunner.Run r = run("migrate", "--to-dir", dir.toString(), "--project", "M2", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".dcm"))).hasSize(4);
        }
        assertThat(dir.resolve("M2/M2_S001/M2_S001_MR1")).isDirectory();
    }

    @Test
    void refusesAMissingDestinationAndABadJob() {
        CliRunner.Run none = run("migrate");
        assertThat(none.code()).isEqualTo(Cli.USAGE);
        assertThat(none.err()).contains("no destination");

        CliRunner.Run both = run("migrate", "--to", target.server().baseUrl(), "--to-dir", tmp.toString());
        assertThat(both.code()).isEqualTo(Cli.USAGE);
        assertThat(both.err()).contains("not both");

        CliRunner.Run job = run("migrate", "status", "--kafka", "127.0.0.1:1", "--job", "bad job");
        assertThat(job.code()).isEqualTo(Cli.USAGE);
        assertThat(job.err()).contains("job ID");

        CliRunner.Run broker = run(false, "migrate", "worker", "--job", "j");
        assertThat(broker.code()).isEqualTo(Cli.USAGE);
        assertThat(broker.err()).contains("no broker");

        for (String bad : List.of("soon", "5x", "-1s", "20")) {
            CliRunner.Run drain = run("migrate", "worker", "--job", "j", "--drain", bad);
            assertThat(drain.code()).as(bad).isEqualTo(Cli.USAGE);
            assertThat(drain.err()).contains("--drain takes a time such as 20s, 90s or 5m, not '" + bad + "'");
        }
        assertThat(MigrateCommand.Worker.duration("--drain", "90s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(MigrateCommand.Worker.duration("--drain", "5m")).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(MigrateCommand.Worker.duration("--drain", "250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(MigrateCommand.Worker.duration("--drain", "0")).isZero();
    }

    @Test
    void plansRunsAWorkerToTheJobsEndAndTellsTheStatus() {
        String[] plan = {
            "migrate",
            "plan",
            "--from",
            source.server().baseUrl(),
            "--to",
            target.server().baseUrl(),
            "--job",
            "cli",
            "--project",
            "K",
            "--partitions",
            "2"
        };
        CliRunner.Run planned = run(plan);
        assertThat(planned.code()).as(planned.err()).isZero();
        assertThat(planned.out()).contains("cli: 6 sessions planned, 0 planned before");

        CliRunner.Run before = run("migrate", "status", "--job", "cli");
        assertThat(before.code()).as(before.err()).isZero();
        assertThat(before.out()).contains("6 planned, 0 done, 0 failed, 6 remaining");

        CliRunner.Run worker =
                run("migrate", "worker", "--job", "cli", "--concurrency", "2", "--id", "cli-1", "--until-done");
        assertThat(worker.code()).as(worker.err()).isZero();
        assertThat(worker.out()).contains("done   K/K_S001_MR1 (").contains("6 sessions done, 0 failed; 12 files");

        CliRunner.Run status = run("migrate", "status", "--job", "cli", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(status.out());
        assertThat(s.get("planned").asLong()).isEqualTo(6);
        assertThat(s.get("done").asLong()).isEqualTo(6);
        assertThat(s.get("remaining").asLong()).isZero();
        assertThat(s.get("sessionsPerSecond").asDouble()).isPositive();

        CliRunner.Run again = run(plan);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("cli: 0 sessions planned, 6 planned before");
        assertThat(run("ls", "--server", target.server().baseUrl(), "/projects/K/experiments")
                        .out()
                        .lines()
                        .filter(l -> l.contains("K_S0")))
                .hasSize(6);
    }
}
