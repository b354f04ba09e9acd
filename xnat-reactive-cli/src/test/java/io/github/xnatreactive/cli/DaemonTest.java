package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon and its client in this JVM, over a real Unix-domain socket: commands run with the client's arguments,
 * directory, environment and answers, give its exit codes, and stop on its interrupt as on Ctrl-C.
 */
class DaemonTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x2x20x4K")));

    @TempDir
    Path tmp;

    Path socket;
    Daemon daemon;
    Thread serving;
    Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        xnat.server().faults(FaultSpec.none());
        socket = tmp.resolve("d/daemon.sock");
        daemon = Daemon.start(socket, Duration.ofMinutes(5));
        serving = new Thread(daemon::serve, "test-daemon");
        serving.start();
        env = new HashMap<>(Map.of(
                "XNAT_HOST",
                xnat.server().baseUrl(),
                "XNAT_USER",
                "admin",
                "XNAT_PASS",
                "admin",
                "HOME",
                tmp.resolve("home").toString()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        daemon.stop();
        serving.join(10_000);
        xnat.server().faults(FaultSpec.none());
    }

    record Run(int code, String out, String err) {}

    Run run(Path cwd, Cli.Prompt prompt, String... args) {
        return run(cwd, prompt, new ByteArrayOutputStream(), null, args);
    }

    /** Runs through a client as the launcher would; {@code out} also gets stdout as it comes. */
    Run run(Path cwd, Cli.Prompt prompt, OutputStream tee, DaemonClient.Call[] callOut, String... args) {
        DaemonClient.Call call = DaemonClient.Call.open(socket);
        assertThat(call).as("the daemon answers").isNotNull();
        if (callOut != null) {
            callOut[0] = call;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                tee.write(b, off, len);
            }
        };
        int code = call.run(new DaemonWire.Request(List.of(args), cwd.toString(), env, false), both, err, prompt);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String... args) {
        return run(tmp, p -> null, args);
    }

    @Test
    void aCommandRunsInTheDaemonWithTheClientsOutputAndExitCodes() {
        Run ls = run("ls", "/projects");
        assertThat(ls.code()).isZero();
        assertThat(ls.out()).contains("DEMO");
        CliRunner.Run own = CliRunner.run(env, tmp.resolve("home"), p -> null, false, "ls", "/projects");
        assertThat(ls.out()).as("the same as in a JVM of its own").isEqualTo(own.out());

        Run missing = run("ls", "/projects/NOPE/subjects");
        assertThat(missing.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(missing.err()).contains("not found").contains("NOPE");
        assertThat(run("frobnicate").code()).isEqualTo(Cli.USAGE);
        assertThat(daemon.status()).contains("3 commands served").contains("0 running now");
    }

    @Test
    void eachCommandUsesItsOwnEnvironmentNotTheDaemonsOrAnEarlierOnes() {
        assertThat(run("ls", "/projects").code()).isZero();
        env.put("XNAT_PASS", "not-the-password");
        Run refused = run("ls", "/projects");
        assertThat(refused.code()).isEqualTo(Cli.AUTH);
        assertThat(refused.err()).contains("XNAT_PASS").doesNotContain("not-the-password");
        env.remove("XNAT_HOST");
        Run noServer = run("ls", "/projects");
        assertThat(noServer.code()).isEqualTo(Cli.USAGE);
        assertThat(noServer.err()).contains("XNAT_HOST");
    }

    @Test
    void relativePathsAreTheClientsDirectorysNotTheDaemons() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("user-dir"));
        Run r = run(cwd, p -> null, "download", "--project", "DEMO", "--dest", "out", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> s = Files.walk(cwd.resolve("out"))) {
            assertThat(s.filter(f -> f.toString().endsWith(".dcm")).count()).isEqualTo(80);
        }
        assertThat(Path.of("out")).as("nothing in the daemon's own directory").doesNotExist();

        Run got = run(
                cwd,
                p -> null,
                "get",
                "/projects/DEMO/subjects/DEMO_S001/experiments/DEMO_S001_MR1/scans/2"
                        + "/resources/DICOM/files/DEMO_S001_MR1.2.4.dcm");
        assertThat(got.code()).as(got.err()).isZero();
        assertThat(cwd.resolve("DEMO_S001_MR1.2.4.dcm")).exists();
    }

    @Test
    void outputArrivesWholeAndInOrder() throws IOException {
        Run r = run(
                "download", "--project", "DEMO", "--dest", tmp.resolve("json").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        tools.jackson.databind.ObjectMapper json = new tools.jackson.databind.ObjectMapper();
        for (String l : lines) {
            json.readTree(l); // every line a whole JSON object: no piece lost, cut or mixed with another
        }
        assertThat(lines.stream()
                        .filter(l -> l.contains("\"event\":\"completed\""))
                        .count())
                .isEqualTo(80);
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"finished\"");
    }

    @Test
    void questionsGoToTheClientAndAMissingAnswerIsAUsageError() {
        env.remove("XNAT_PASS");
        List<String> asked = new ArrayList<>();
        Run answered = run(
                tmp,
                new Cli.Prompt() {
                    @Override
                    public char[] readSecret(String prompt) {
                        asked.add(prompt);
                        return "admin".toCharArray();
                    }
                },
                "ls",
                "/projects");
        assertThat(answered.code()).as(answered.err()).isZero();
        assertThat(asked).singleElement().asString().startsWith("Password for admin at ");
        Run unanswered = run("ls", "/projects");
        assertThat(unanswered.code()).isEqualTo(Cli.USAGE);
        assertThat(unanswered.err()).contains("no password");
    }

    @Test
    void anInterruptCancelsATransferAndLeavesNoPartialFiles() throws Exception {
        xnat.server().faults(FaultSpec.none().latency(Duration.ofMillis(200)));
        CountDownLatch moving = new CountDownLatch(1);
        OutputStream watch = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
                if (new String(b, off, len, StandardCharsets.UTF_8).contains("\"event\":\"completed\"")) {
                    moving.countDown();
                }
            }
        };
        DaemonClient.Call[] call = new DaemonClient.Call[1];
        Path dest = tmp.resolve("cancelled");
        Thread ctrlC = new Thread(() -> {
            try {
                if (moving.await(30, TimeUnit.SECONDS)) {
                    call[0].interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ctrlC.start();
        Run r = run(
                tmp,
                p -> null,
                watch,
                call,
                "download",
                "--project",
                "DEMO",
                "--dest",
                dest.toString(),
                "--json",
                "--archive",
                "never",
                "--concurrency",
                "2");
        ctrlC.join();
        assertThat(r.code()).isEqualTo(Cli.INTERRUPTED);
        assertThat(r.err()).contains("interrupted: the files in flight were cancelled");
        try (Stream<Path> s = Files.walk(dest)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertThat(files).as("some files arrived, not all").isNotEmpty().hasSizeLessThan(82);
            assertThat(files).allMatch(f -> f.toString().endsWith(".dcm") || f.endsWith("xnat-session.json"));
        }
        assertThat(daemon.status()).contains("0 running now");
    }

    @Test
    void anInterruptStopsAnyOtherCommandAtOnceAndSilently() {
        xnat.server().faults(FaultSpec.none().latency(Duration.ofSeconds(30)));
        DaemonClient.Call[] call = new DaemonClient.Call[1];
        Thread ctrlC = new Thread(() -> {
            // whenever it comes (before or while the command waits for the server), the command stops
            while (call[0] == null) {
                Thread.onSpinWait();
            }
            call[0].interrupt();
        });
        ctrlC.start();
        long t0 = System.nanoTime();
        Run r = run(tmp, p -> null, new ByteArrayOutputStream(), call, "ls", "/projects");
        assertThat(r.code()).isEqualTo(Cli.INTERRUPTED);
        assertThat(r.out() + r.err()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void commandsWithALifetimeOfTheirOwnRunInTheClientsJvm() {
        for (String[] args : List.of(
                new String[] {"serve", "--port", "0"},
                new String[] {"migrate", "--help"},
                new String[] {"daemon", "status"},
                new String[] {"demo"})) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(DaemonWire.NOT_HERE);
            assertThat(r.out() + r.err()).isEmpty();
        }
        assertThat(run("--version").out()).startsWith("xnat-reactive ");
    }

    @Test
    void theSocketsFolderMustBePrivateAndOneDaemonServesASocket() throws IOException {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> Daemon.start(open.resolve("d.sock"), Duration.ofMinutes(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("open to other users")
                .hasMessageContaining("chmod 700");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThatThrownBy(() -> Daemon.start(socket, Duration.ofMinutes(1))).hasMessageContaining("running already");
        assertThat(DaemonClient.status(socket)).contains("daemon running");
    }

    @Test
    void aSocketLeftByAKilledDaemonIsRemovedByTheClientAndReplacedByTheNext() throws Exception {
        daemon.stop();
        serving.join(10_000);
        // what a kill -9 leaves: a socket file nobody listens on
        Path stale = tmp.resolve("d/stale.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        assertThat(DaemonClient.Call.open(stale)).isNull();
        assertThat(stale).as("removed, so that the launcher stops trying it").doesNotExist();

        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        Daemon next = Daemon.start(stale, Duration.ofMinutes(1));
        Thread t = new Thread(next::serve);
        t.start();
        try {
            assertThat(DaemonClient.status(stale)).contains("daemon running");
        } finally {
            next.stop();
            t.join(10_000);
        }
        daemon = Daemon.start(socket, Duration.ofMinutes(1)); // for stop()
        serving = new Thread(daemon::serve);
        serving.start();
    }
}
