package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The command-line defects of issue 15, each against a testkit server or a small hostile one. */
class CliDefectsTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b ->
            b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x2x3x2x1K")).seed(SeedSpec.parse("WIDE:40x1x60x0x1K")));

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void env() {
        env = new HashMap<>(Map.of("XNAT_HOST", xnat.server().baseUrl(), "XNAT_USER", "admin", "XNAT_PASS", "admin"));
    }

    CliRunner.Run run(String... args) {
        return CliRunner.run(env, tmp.resolve("home"), p -> null, false, args);
    }

    // ------------------------------------------------------------------ ls

    @Test
    void lsPrintsCsvRowsAsTheyArrive() throws Exception {
        CompletableFuture<Void> firstRowPrinted = new CompletableFuture<>();
        String head = "{\"ResultSet\":{\"totalRecords\":\"2\",\"Result\":[{\"ID\":\"X_E1\",\"label\":\"E1\","
                + "\"xsiType\":\"xnat:mrSessionData\",\"date\":\"\",\"project\":\"P\"}";
        String tail = ",{\"ID\":\"X_E2\",\"label\":\"E2\",\"xsiType\":\"xnat:mrSessionData\",\"date\":\"\","
                + "\"project\":\"P\"}]}}";
        try (HostileServer server = new HostileServer((req, res) -> req.uri().contains("/experiments")
                ? res.status(200)
                        .header("Content-Type", "application/json")
                        // the rest of the listing only once the first row is on stdout
                        .sendString(Flux.concat(
                                Mono.just(head),
                                Mono.fromFuture(firstRowPrinted).thenReturn(tail)))
                        .then()
                : null)) {
            env.put("XNAT_HOST", server.baseUrl());
            OutputStream watch = new OutputStream() {
                private final StringBuilder seen = new StringBuilder();

                @Override
                public void write(int b) {
                    seen.append((char) b);
                    if (seen.toString().contains("X_E1,E1")) {
                        firstRowPrinted.complete(null);
                    }
                }
            };
            CompletableFuture<CliRunner.Run> ls = CompletableFuture.supplyAsync(
                    () -> CliRunner.run(env, tmp, p -> null, false, watch, "ls", "/projects/P/experiments", "--csv"));
            CliRunner.Run r = ls.get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines().toList())
                    .containsExactly(
                            "ID,label,xsiType,date,project",
                            "X_E1,E1,xnat:mrSessionData,,P",
                            "X_E2,E2,xnat:mrSessionData,,P");
        }
    }

    @Test
    void lsHandsItsRowsToThePrintingThreadOffTheEventLoop() {
        // 40 sessions x 60 scans, listed through a wildcard: 2,400 rows handed from the listings to the printing
        // loop, which holds the iterable's lock for each. Handed from an event loop, a row once found that lock
        // taken and parked the event loop: BlockHound (on in these tests) failed the listing and ls hung.
        for (int round = 0; round < 3; round++) {
            CliRunner.Run r = run("ls", "/projects/WIDE/subjects/*/experiments/*/scans", "--csv");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines()).hasSize(1 + 40 * 60);
            assertThat(r.err()).doesNotContain("Blocking call");
        }
    }

    @Test
    void lsWithAWildcardAboveTheLevelShowsEachRowsParent() {
        CliRunner.Run r = run("ls", "/projects/DEMO/subjects/*/experiments/*/scans", "--csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("parent,ID,");
        assertThat(lines).hasSize(1 + 4 * 3);
        for (String session : List.of("DEMO_S001/experiments/DEMO_S001_MR1", "DEMO_S002/experiments/DEMO_S002_MR2")) {
            assertThat(lines).anyMatch(l -> l.startsWith("/projects/DEMO/subjects/" + session + ",1,"));
            assertThat(lines).anyMatch(l -> l.startsWith("/projects/DEMO/subjects/" + session + ",3,"));
        }
        // one parent: no parent column
        assertThat(run("ls", "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans", "--csv")
                        .out())
                .startsWith("ID,");
    }

    // ------------------------------------------------------------------ secrets and names

    @Test
    void aPasswordInTheServerUrlIsNeverEchoed() {
        for (String level : new String[] {"warn", "debug"}) {
            env.put("XNAT_LOG_LEVEL", level);
            CliRunner.Run r = run("ls", "/projects", "--server", "http://admin:Zq9Uniq%Pw@7731@127.0.0.1:8080");
            assertThat(r.code()).as(r.err()).isEqualTo(Cli.USAGE);
            assertThat(r.err())
                    .contains("127.0.0.1:8080")
                    .doesNotContain("Zq9Uniq")
                    .doesNotContain("7731");
        }
    }

    @Test
    void dotDotAsAProjectIsAUsageErrorBeforeAnyRequest() {
        CliRunner.Run r =
                run("download", "--project", "..", "--dest", tmp.resolve("d").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Cli.USAGE);
        assertThat(r.err()).contains("'..' is not a valid XNAT ID or label");
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    // ------------------------------------------------------------------ login and messages

    @Test
    void aRedirectedLoginExits3() {
        try (HostileServer server = new HostileServer((req, res) -> req.uri().endsWith("/data/JSESSION")
                ? req.receive()
                        .then(res.status(302)
                                .header("Location", "/app/template/Login.vm")
                                .send())
                : null)) {
            env.put("XNAT_HOST", server.baseUrl());
            CliRunner.Run r = run("ls", "/projects");
            assertThat(r.code()).as(r.err()).isEqualTo(Cli.AUTH);
            assertThat(r.err()).contains("redirected").contains("credentials from XNAT_USER and XNAT_PASS");
        }
    }

    @Test
    void aLoginAnswering404NamesTheWholeUrlAndHintsAtTheContextPath() {
        try (HostileServer server = new HostileServer((req, res) -> req.uri().startsWith("/xnat/")
                ? null
                : req.receive().then(res.status(404).send()))) {
            env.put("XNAT_HOST", server.baseUrl()); // the server is under /xnat
            CliRunner.Run r = run("ls", "/projects");
            assertThat(r.code()).as(r.err()).isEqualTo(Cli.NOT_FOUND);
            assertThat(r.err()).contains(server.baseUrl() + "/data/JSESSION").contains("context path");
        }
    }

    @Test
    void errorsShowTheWholeUrl() {
        CliRunner.Run r = run("ls", "/projects/NOPE/subjects");
        assertThat(r.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(r.err()).contains(xnat.server().baseUrl() + "/data/projects/NOPE/subjects");
    }

    @Test
    void aUrlWithoutSchemeAgainstPlainHttpSaysSo() {
        env.put("XNAT_HOST", "127.0.0.1:" + xnat.server().port());
        CliRunner.Run r = run("ls", "/projects");
        assertThat(r.code()).isEqualTo(Cli.ERROR);
        assertThat(r.err()).contains("TLS handshake failed").contains("is the server plain http?");
        assertThat(r.err().lines().count()).isOne();
    }

    // ------------------------------------------------------------------ netrc

    @Test
    void netrcFromNETRCAndNetrcFileWithWarningsAndTheSourceOnA401() throws Exception {
        env.remove("XNAT_PASS");
        env.remove("XNAT_USER");
        Path netrc = Files.writeString(tmp.resolve("my-netrc"), "machine 127.0.0.1 login admin password admin\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        env.put("NETRC", netrc.toString());
        CliRunner.Run viaEnv = run("ls", "/projects");
        assertThat(viaEnv.code()).as(viaEnv.err()).isZero();
        assertThat(viaEnv.err()).doesNotContain("warning");

        env.remove("NETRC");
        Path wrong = Files.writeString(tmp.resolve("other"), "machine 127.0.0.1 login admin password nope\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Run viaFlag = run("ls", "/projects", "--netrc-file", wrong.toString());
        assertThat(viaFlag.code()).isEqualTo(Cli.AUTH);
        assertThat(viaFlag.err())
                .contains("warning: " + wrong + " is readable by other users")
                .contains("credentials from " + wrong);

        CliRunner.Run none = run("ls", "/projects");
        assertThat(none.code()).isEqualTo(Cli.USAGE);
        assertThat(none.err()).contains(tmp.resolve("home").resolve(".netrc").toString());
    }

    // ------------------------------------------------------------------ usage

    @Test
    void anUnknownOptionIsReportedFirstWithAShortUsage() {
        CliRunner.Run r = run("download", "--projct", "DEMO", "--dest", "x");
        assertThat(r.code()).isEqualTo(Cli.USAGE);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo("xnat-reactive download: unknown option '--projct' (did you mean --project?)");
        assertThat(r.err()).doesNotContain("Missing required");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("Usage: xnat-reactive download --project=P --dest=DIR [OPTIONS]");
        assertThat(lines.get(2)).isEqualTo("Try 'xnat-reactive download --help' for all options.");

        CliRunner.Run root = run();
        assertThat(root.code()).isEqualTo(Cli.USAGE);
        assertThat(root.err()).contains("Try 'xnat-reactive --help'").doesNotContain("xnat-reactive xnat-reactive");
    }

    @Test
    void rootHelpListsEveryCommandWithAWholeSentence() {
        CliRunner.Run r = run("--help");
        assertThat(r.code()).isZero();
        String commands =
                r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Connection:"));
        // each command's text (with its wrapped lines) ends a sentence
        List<String> entries = List.of(commands.split("\n(?=  \\S)"));
        assertThat(entries).hasSizeGreaterThan(8);
        for (String e : entries.subList(1, entries.size())) {
            assertThat(e.strip()).as(e).endsWith(".");
        }
    }

    // ------------------------------------------------------------------ progress

    @Test
    void progressCountsByOneUsesRecentThroughputAndOneUnitAndPrintsEachFailureOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cli terminal = new Cli(
                env,
                tmp,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> null,
                true);
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        Reporter r = new Reporter(terminal, new OutputOptions(), now::get);
        r.start("listing what to transfer");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("listing what to transfer...");
        r.on(new TransferEvent.Planned(3, 300_000_000L, 0));
        TransferItem a = new TransferItem("/data/a", "/tmp/a", 100_000_000L, "");
        // a slow first minute, then 100 MB/s: rate and ETA follow the recent speed
        now.addAndGet(60_000_000_000L);
        r.on(new TransferEvent.Bytes(a, 10_000_000L));
        now.addAndGet(10_000_000_000L);
        r.on(new TransferEvent.Bytes(a, 90_000_000L));
        now.addAndGet(1_000_000_000L);
        r.on(new TransferEvent.Bytes(a, 100_000_000L));
        String shown = err.toString(StandardCharsets.UTF_8);
        String last = shown.substring(shown.lastIndexOf('\r'));
        assertThat(last).contains("200.0 MB/300.0 MB").contains("ETA 00:0"); // not minutes
        assertThat(shown).doesNotContain("MiB");
        // each completed file shows at once, without waiting for the next redraw
        r.on(new TransferEvent.Completed(a, 100_000_000L));
        r.on(new TransferEvent.Completed(a, 100_000_000L));
        String counts = err.toString(StandardCharsets.UTF_8);
        assertThat(counts).contains("1/3 files").contains("2/3 files");
        TransferItem bad = new TransferItem("/data/bad", "/tmp/bad.dcm", 5, "");
        r.on(new TransferEvent.Failed(bad, new IllegalStateException("MD5 mismatch")));
        r.finish(new io.github.xnatreactive.bulk.TransferReport(
                2,
                200_000_000L,
                0,
                0,
                List.of(new io.github.xnatreactive.bulk.TransferReport.FailedItem(
                        bad, new IllegalStateException("MD5 mismatch"))),
                java.time.Duration.ofSeconds(71)));
        String all = err.toString(StandardCharsets.UTF_8);
        assertThat(Pattern.compile("bad\\.dcm").matcher(all).results().count()).isOne();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("MB");
    }

    @Test
    void aDownloadOnATerminalShowsTheListingAtOnce() {
        CliRunner.Run r = CliRunner.run(
                env,
                tmp,
                p -> null,
                true,
                "download",
                "--project",
                "DEMO",
                "--dest",
                tmp.resolve("d").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("\rlisting what to transfer...");
    }

    // ------------------------------------------------------------------ dry runs

    @Test
    void downloadUploadAndMirrorDryRunsShareOneFormat() throws Exception {
        Pattern line =
                Pattern.compile("^\\S+/\\S+/\\S+ +\\d+ files +[0-9.]+ [kMG]?B to transfer, \\d+ already in place$");
        CliRunner.Run down = run(
                "download",
                "--project",
                "DEMO",
                "--subject",
                "DEMO_S001",
                "--dest",
                tmp.resolve("d").toString(),
                "--dry-run");
        assertThat(down.code()).as(down.err()).isZero();
        List<String> downLines = down.out().lines().toList();
        assertThat(downLines.get(0)).startsWith("DEMO/DEMO_S001/DEMO_S001_MR1").matches(line);

        assertThat(run(
                                "download",
                                "--project",
                                "DEMO",
                                "--experiment",
                                "DEMO_S001_MR1",
                                "--dest",
                                tmp.resolve("up").toString(),
                                "-q")
                        .code())
                .isZero();
        CliRunner.Run up = run(
                "upload",
                "--dir",
                tmp.resolve("up/DEMO/DEMO_S001/DEMO_S001_MR1").toString(),
                "--project",
                "COPY",
                "--create-project",
                "--dry-run");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out().lines().toList().get(0))
                .startsWith("COPY/DEMO_S001/DEMO_S001_MR1")
                .matches(line);

        env.put("XNAT_TO_HOST", xnat.server().baseUrl());
        env.put("XNAT_TO_USER", "admin");
        env.put("XNAT_TO_PASS", "admin");
        CliRunner.Run mirror = run(
                "mirror",
                "--project",
                "DEMO",
                "--experiment",
                "DEMO_S001_MR1",
                "--to-project",
                "M",
                "--create-project",
                "--dry-run");
        assertThat(mirror.code()).as(mirror.err()).isZero();
        assertThat(mirror.out().lines().toList().get(0))
                .startsWith("M/DEMO_S001/DEMO_S001_MR1")
                .matches(line);
        for (CliRunner.Run r : List.of(down, up, mirror)) {
            assertThat(r.out().lines().reduce((x, y) -> y).orElseThrow()).startsWith("dry run: ");
        }
    }

    // ------------------------------------------------------------------ get, put, rm

    static final String FILE =
            "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/1/resources/DICOM/files/";

    @Test
    void getIntoAFolderAndToStdoutAndAClearFileSystemError() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        CliRunner.Run intoFolder = run("get", FILE + "DEMO_S001_MR1.1.1.dcm", "-o", folder.toString());
        assertThat(intoFolder.code()).as(intoFolder.err()).isZero();
        Path file = folder.resolve("DEMO_S001_MR1.1.1.dcm");
        assertThat(file).isRegularFile().hasSize(1024);

        CliRunner.Run stdout = run("get", FILE + "DEMO_S001_MR1.1.1.dcm", "-o", "-");
        assertThat(stdout.code()).as(stdout.err()).isZero();
        assertThat(stdout.out().getBytes(StandardCharsets.ISO_8859_1).length).isGreaterThan(0);
        assertThat(tmp.resolve("-")).doesNotExist();
        assertThat(Path.of("-")).doesNotExist();

        CliRunner.Run blocked = run(
                "get",
                FILE + "DEMO_S001_MR1.1.1.dcm",
                "-o",
                file.resolve("under-a-file").toString());
        assertThat(blocked.code()).isEqualTo(Cli.ERROR);
        assertThat(blocked.err())
                .startsWith("xnat-reactive: file system error on")
                .doesNotContain("Exception");
    }

    @Test
    void getToStdoutWritesTheExactBytes() throws Exception {
        Path copy = tmp.resolve("copy.dcm");
        assertThat(run("get", FILE + "DEMO_S001_MR1.1.2.dcm", "-o", copy.toString())
                        .code())
                .isZero();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CliRunner.Run r =
                CliRunner.run(env, tmp, p -> null, false, bytes, "get", FILE + "DEMO_S001_MR1.1.2.dcm", "-o", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(bytes.toByteArray()).isEqualTo(Files.readAllBytes(copy));
    }

    @Test
    void putOfAnIdenticalFileDoesNothingAndAnOverwriteKeepsTheCatalogEntry() throws Exception {
        String path = "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR2/resources/NOTES/files/n.txt";
        Path first = Files.writeString(tmp.resolve("n.txt"), "first notes");
        CliRunner.Run put = run("put", first.toString(), path, "--format", "TXT", "--content", "NOTES", "--tag", "a");
        assertThat(put.code()).as(put.err()).isZero();
        CliRunner.Run again = run("put", first.toString(), path);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("nothing to do");

        Path second = Files.writeString(tmp.resolve("n2.txt"), "second notes, longer");
        assertThat(run("put", second.toString(), path).code()).isEqualTo(Cli.FAILED_ITEMS);
        CliRunner.Run over = run("put", second.toString(), path, "--overwrite");
        assertThat(over.code()).as(over.err()).isZero();
        try (XnatClient c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            var entry = c.project("DEMO")
                    .subject("DEMO_S001")
                    .experiment("DEMO_S001_MR2")
                    .resource("NOTES")
                    .file("n.txt")
                    .entry()
                    .block();
            assertThat(entry.size()).isEqualTo(Files.size(second));
            assertThat(entry.format()).isEqualTo("TXT");
            assertThat(entry.content()).isEqualTo("NOTES");
            assertThat(entry.tags()).isEqualTo("a");
        }
    }

    @Test
    void rmOfAProjectOrSubjectAsksOnATerminalAndOtherwiseNeedsYes() {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            c.project("RMME").create().block();
            c.project("RMME").subject("DEMO_S002").create().block();
        }
        CliRunner.Run noTerminal = run("rm", "/projects/RMME/subjects/DEMO_S002");
        assertThat(noTerminal.code()).isEqualTo(Cli.USAGE);
        assertThat(noTerminal.err()).contains("--yes");
        assertThat(subjectExists("DEMO_S002")).isTrue();

        String[] asked = {null};
        Cli.Prompt answering = new Cli.Prompt() {
            @Override
            public char[] readSecret(String prompt) {
                return null;
            }

            @Override
            public String readLine(String prompt) {
                asked[0] = prompt;
                return asked[0].contains("DEMO_S002") ? "no" : "yes";
            }
        };
        CliRunner.Run declined = CliRunner.run(env, tmp, answering, true, "rm", "/projects/RMME/subjects/DEMO_S002");
        assertThat(declined.code()).isEqualTo(Cli.FAILED_ITEMS);
        assertThat(asked[0]).contains("Delete subject /projects/RMME/subjects/DEMO_S002");
        assertThat(subjectExists("DEMO_S002")).isTrue();

        CliRunner.Run yes = run("rm", "/projects/RMME/subjects/DEMO_S002", "--yes");
        assertThat(yes.code()).as(yes.err()).isZero();
        assertThat(subjectExists("DEMO_S002")).isFalse();
    }

    private boolean subjectExists(String label) {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            return Boolean.TRUE.equals(c.project("RMME").subject(label).exists().block());
        }
    }

    // ------------------------------------------------------------------ fatal errors

    @Test
    void aHeapFullAfterThreeCollectionsWithinTenSecondsIsFatalAndErrorsAreClassified() {
        java.util.ArrayDeque<Long> full = new java.util.ArrayDeque<>();
        long s = 1_000_000_000L;
        assertThat(Fatal.repeatedlyFull(full, 0)).isFalse();
        assertThat(Fatal.repeatedlyFull(full, 6 * s)).isFalse();
        assertThat(Fatal.repeatedlyFull(full, 12 * s)).isFalse(); // the first is older than 10 s
        assertThat(Fatal.repeatedlyFull(full, 13 * s)).isTrue();
        assertThat(Fatal.isFatal(new RuntimeException(new OutOfMemoryError("Java heap space"))))
                .isTrue();
        assertThat(Fatal.isFatal(new IllegalStateException("no"))).isFalse();
        assertThat(Fatal.message("reactor-http-nio-2", new OutOfMemoryError("Direct buffer memory")))
                .startsWith("xnat-reactive: out of memory (Direct buffer memory, in thread reactor-http-nio-2)");
    }

    // ------------------------------------------------------------------ serve

    @Test
    void serveParsesItsOptionsAndNeverTakesAPasswordFromTheCommandLine() {
        CliRunner.Run inline = run("serve", "--port", "0", "--user", "alice:secret");
        assertThat(inline.code()).isEqualTo(Cli.USAGE);
        assertThat(inline.err()).contains("XNAT_SERVE_PASS_ALICE");
        CliRunner.Run missing = run("serve", "--port", "0", "--user", "bob");
        assertThat(missing.code()).isEqualTo(Cli.USAGE);
        assertThat(missing.err()).contains("no password for user bob");
        CliRunner.Run typo = run("serve", "--prot", "0");
        assertThat(typo.code()).isEqualTo(Cli.USAGE);
        assertThat(typo.err()).contains("unknown option '--prot' (did you mean --port?)");
        CliRunner.Run help = run("serve", "--help");
        assertThat(help.out()).contains("Usage: xnat-reactive serve").contains("--passwords");
    }
}
