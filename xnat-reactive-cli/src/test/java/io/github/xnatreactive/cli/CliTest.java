package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Every command run in-process against testkit servers, with its exit code and output. */
class CliTest {
    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x2x3x4K")));

    @RegisterExtension
    static XnatTestServerExtension target = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    /** Every command of {@code xnat-reactive}. */
    static final List<String> COMMANDS = List.of(
            "demo",
            "serve",
            "ls",
            "download",
            "upload",
            "mirror",
            "get",
            "put",
            "rm",
            "search",
            "types",
            "fields",
            "users",
            "project",
            "share",
            "unshare",
            "token",
            "import",
            "migrate",
            "prearchive",
            "daemon");

    @TempDir
    Path tmp;

    Map<String, String> env;
    String prompted;

    @BeforeEach
    void env() {
        env = new HashMap<>(Map.of(
                "XNAT_HOST", source.server().baseUrl(),
                "XNAT_USER", "admin",
                "XNAT_PASS", "admin"));
        prompted = null;
        source.server().faults(FaultSpec.none());
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        CliRunner.Run r = CliRunner.run(
                env,
                tmp.resolve("home"),
                p -> {
                    prompted = p;
                    return "admin".toCharArray();
                },
                false,
                args);
        return new Run(r.code(), r.out(), r.err());
    }

    static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }

    @Test
    void demoRunsEverythingAndExitsZero() {
        Run r = run("demo", "--seed", "D:1x2x2x5x2K");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("All files verified by size and MD5.").contains("20 files");
    }

    @Test
    void lsListsAsTableCsvAndJson() {
        Run table = run("ls", "/projects");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out().lines().toList()).first().asString().startsWith("ID");
        assertThat(table.out()).contains("DEMO");

        Run csv = run("ls", "/projects/DEMO/subjects/*/experiments", "--csv");
        assertThat(csv.code()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("ID,label,xsiType,date,project");
        assertThat(lines).hasSize(3).anyMatch(l -> l.contains("DEMO_S001_MR1"));

        Run json = run(
                "ls",
                "/project/DEMO/subject/DEMO_S001/experiment/DEMO_S001_MR1/scans/1/resources/DICOM/files",
                "--json");
        assertThat(json.code()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> rows = json.out().lines().map(m::readTree).toList();
        assertThat(rows).hasSize(3).allMatch(n -> n.get("digest").asString().length() == 32);

        Run glob = run("ls", "/projects/DEMO/subjects/*2");
        assertThat(glob.out()).contains("DEMO_S002").doesNotContain("DEMO_S001");
    }

    @Test
    void wrongPasswordExits3AndMissingProjectExits4() {
        env.put("XNAT_PASS", "N0t-The-Pa55word");
        Run auth = run("ls", "/projects");
        assertThat(auth.code()).isEqualTo(Cli.AUTH);
        assertThat(auth.err()).contains("authentication failed").doesNotContain("N0t-The-Pa55word");

        env.put("XNAT_PASS", "admin");
        Run missing =
                run("download", "--project", "NOPE", "--dest", tmp.resolve("x").toString());
        assertThat(missing.code()).as(missing.err()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("ls", "/projects/NOPE/subjects").code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("rm", "/projects/DEMO/subjects/NOBODY").code()).isEqualTo(Cli.NOT_FOUND);
    }

    @Test
    void usageErrorsExit2() {
        assertThat(run("download", "--dest", "x").code()).isEqualTo(Cli.USAGE); // no --project
        assertThat(run("frobnicate").code()).isEqualTo(Cli.USAGE);
        // without a command: every command is named (the list is the commands', not a copy that can fall behind)
        Run none = run();
        assertThat(none.code()).isEqualTo(Cli.USAGE);
        for (String c : COMMANDS) {
            assertThat(none.err()).as(c).containsPattern("[(, ]" + c + "[,)]");
        }
        assertThat(run("get", "/projects/DEMO/subjects/*").code()).isEqualTo(Cli.USAGE);
        env.remove("XNAT_HOST");
        Run noServer = run("ls", "/projects");
        assertThat(noServer.code()).isEqualTo(Cli.USAGE);
        assertThat(noServer.err()).contains("XNAT_HOST");
    }

    @Test
    void aServerThatCannotBeReachedIsSaidSoInWords() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // nothing listens there once it is closed
        }
        Run refused = run("ls", "/projects", "--server", "http://127.0.0.1:" + port);
        assertThat(refused.code()).isEqualTo(Cli.ERROR);
        assertThat(refused.err())
                .contains("cannot connect to http://127.0.0.1:" + port + ": the connection was refused")
                .doesNotContain("Exception");
        // a host name that does not resolve, as the SDK reports it
        Cli cli = new Cli(env, tmp, System.out, System.err, p -> new char[0], false);
        cli.servers.add("https://xnat.example.invalid");
        String unknown = cli.describe(new io.github.xnatreactive.core.XnatTransportException(
                "GET", "/data/JSESSION", new java.net.UnknownHostException("xnat.example.invalid")));
        assertThat(unknown)
                .startsWith("cannot connect to https://xnat.example.invalid: its host name does not resolve");
    }

    @Test
    void passwordComesFromThePromptWhenNotInTheEnvironment() {
        env.remove("XNAT_PASS");
        Run r = run("ls", "/projects");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(prompted).contains("Password for admin");
    }

    @Test
    void passwordComesFromNetrc() throws Exception {
        env.remove("XNAT_PASS");
        env.remove("XNAT_USER");
        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("home/.netrc"), "machine 127.0.0.1 login admin password admin\n");
        Run r = run("ls", "/projects");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(prompted).isNull();
    }

    @Test
    void downloadUnderFaultsCompletesAndARerunMovesNothing() throws Exception {
        source.server().faults(FaultSpec.parse("drop=0.2,drop-after=1000,unavailable=0.1,retry-after=0,seed=5"));
        Path dest = tmp.resolve("dl");
        Run r = run("download", "--project", "DEMO", "--dest", dest.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(files(dest)).isEqualTo(12);
        assertThat(source.server().injectedFaults()).isPositive();
        Run again = run("download", "--project", "DEMO", "--dest", dest.toString(), "--json");
        assertThat(again.code()).isZero();
        String last = again.out().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode report = new ObjectMapper().readTree(last);
        assertThat(report.get("event").asString()).isEqualTo("finished");
        assertThat(report.get("files").asLong()).isZero();
        assertThat(report.get("skipped").asLong()).isEqualTo(12);
    }

    @Test
    void aFileThatNeverVerifiesExits1AndIsNamed() throws Exception {
        Path dest = tmp.resolve("bad");
        // corrupt one stored file so that its bytes no longer match the listed MD5
        Path stored;
        try (Stream<Path> s = Files.walk(source.server().dataDir().resolve("archive"))) {
            stored = s.filter(p -> p.getFileName().toString().equals("DEMO_S002_MR1.2.3.dcm"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] original = Files.readAllBytes(stored);
        byte[] corrupt = original.clone();
        corrupt[corrupt.length - 1] ^= 0x55;
        Files.write(stored, corrupt);
        try {
            Run r = run("download", "--project", "DEMO", "--subject", "DEMO_S002", "--dest", dest.toString());
            assertThat(r.code()).isEqualTo(Cli.FAILED_ITEMS);
            assertThat(r.err()).contains("DEMO_S002_MR1.2.3.dcm").contains("MD5");
            assertThat(r.out()).contains("1 failed");
            assertThat(files(dest)).isEqualTo(5);
        } finally {
            Files.write(stored, original);
        }
    }

    @Test
    void uploadOfADownloadedSessionAndMirror() throws Exception {
        Path dest = tmp.resolve("up");
        assertThat(run(
                                "download",
                                "--project",
                                "DEMO",
                                "--experiment",
                                "DEMO_S001_MR1",
                                "--dest",
                                dest.toString(),
                                "-q")
                        .code())
                .isZero();
        Path session = dest.resolve("DEMO/DEMO_S001/DEMO_S001_MR1");
        Run missing = run("upload", "--dir", session.toString(), "--project", "COPY");
        assertThat(missing.code()).isEqualTo(Cli.NOT_FOUND);
        Run dry = run("upload", "--dir", session.toString(), "--project", "COPY", "--create-project", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run: 6 files");
        Run up = run("upload", "--dir", session.toString(), "--project", "COPY", "--create-project", "-q");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("6 files");
        assertThat(run("ls", "/projects/COPY/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans")
                        .out())
                .contains("T1w")
                .contains("T2w");

        env.put("XNAT_TO_HOST", target.server().baseUrl());
        env.put("XNAT_TO_USER", "admin");
        env.put("XNAT_TO_PASS", "admin");
        Run mirror = run("mirror", "--project", "DEMO", "--to-project", "M", "--create-project", "-q");
        assertThat(mirror.code()).as(mirror.err()).isZero();
        assertThat(mirror.out()).contains("12 files");
    }

    @Test
    void downloadInArchiveModeShowsThePlanAsItGrowsAndTheArchives() throws Exception {
        Path dest = tmp.resolve("zip");
        Run r = run("download", "--project", "DEMO", "--dest", dest.toString(), "--archive", "always", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(files(dest)).isEqualTo(12);
        ObjectMapper json = new ObjectMapper();
        java.util.List<String> kinds = r.out()
                .lines()
                .map(l -> json.readTree(l).get("event").asString())
                .toList();
        assertThat(kinds).contains("listed", "planned", "archived", "started", "completed", "finished");
        assertThat(kinds.indexOf("listed")).isLessThan(kinds.indexOf("planned"));
        assertThat(kinds.stream().filter("archived"::equals)).hasSize(4); // 2 sessions x 2 scans
        assertThat(kinds).doesNotContain("archivefallback");

        Run again = run("download", "--project", "DEMO", "--dest", dest.toString(), "--archive", "never", "-q");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("0 files").contains("12 already in place");

        assertThat(run("download", "--project", "DEMO", "--dest", "x", "--archive", "sometimes")
                        .code())
                .isEqualTo(Cli.USAGE);
        Run badSize = run("download", "--project", "DEMO", "--dest", "x", "--archive-threshold", "lots");
        assertThat(badSize.code()).isEqualTo(Cli.USAGE);
        assertThat(badSize.err()).contains("--archive-threshold");
    }

    @Test
    void progressShowsPlannedVersusDoneUntilTheTotalsAreKnown() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli terminal = new Cli(
                env,
                tmp.resolve("home"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> "admin".toCharArray(),
                true);
        Reporter reporter = new Reporter(terminal, new OutputOptions());
        reporter.on(new io.github.xnatreactive.bulk.TransferEvent.Listed("/data/.../DICOM", 5, 5000, 2));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("planned 5 / done 2 files");
    }

    @Test
    void putGetAndRmOfOneFile() throws Exception {
        Path local = Files.writeString(tmp.resolve("notes.txt"), "some notes");
        String path = "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/resources/NOTES/files/notes.txt";
        Run put = run("put", local.toString(), path, "--format", "TXT");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(run("put", local.toString(), path).code()).isEqualTo(Cli.OK); // identical: nothing to do
        Path other = Files.writeString(tmp.resolve("other.txt"), "other notes");
        assertThat(run("put", other.toString(), path).code()).isEqualTo(Cli.FAILED_ITEMS); // exists, no overwrite
        Path copy = tmp.resolve("copy.txt");
        Run get = run("get", path, "-o", copy.toString());
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(md5(copy)).isEqualTo(md5(local));
        assertThat(run("rm", path).code()).isZero();
        assertThat(run("rm", path).code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(run("get", path, "-o", tmp.resolve("gone").toString()).code())
                .isEqualTo(Cli.NOT_FOUND);
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : List.of("demo", "ls", "download", "upload", "mirror", "get", "put", "rm")) {
            Run r = run(c, "--help");
            assertThat(r.code()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Usage: xnat-reactive " + c);
        }
        // picocli wraps each paragraph to 80 columns: a paragraph broken by hand would come out ragged, a short
        // line in the middle of a sentence
        List<String> helped = new ArrayList<>(COMMANDS);
        helped.addAll(List.of("", "migrate worker", "token issue", "daemon start"));
        for (String c : helped) {
            String[] lines = run((c + " --help").strip().split(" ")).out().split("\n");
            for (int i = 1; i < lines.length; i++) {
                String before = lines[i - 1];
                boolean ragged = !before.isBlank()
                        && before.length() < 55
                        && !before.strip().startsWith("-")
                        && lines[i].matches("[a-z].*|--[a-z].*");
                assertThat(ragged)
                        .as(c + " --help: '" + before + "' / '" + lines[i] + "'")
                        .isFalse();
            }
        }
        Run serve = run("serve", "--help");
        assertThat(serve.code()).isZero();
        assertThat(serve.out()).contains("--seed").contains("--faults");
    }

    static String md5(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
    }
}
