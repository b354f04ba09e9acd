package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shaded jar run as users run it: under a small heap, killed with SIGTERM, at a pseudo-terminal (python3's pty
 * module, {@code src/test/python/pty_run.py}). {@code -Dxnat.cli.jar=...} runs the checks against another jar.
 */
class CliProcessIT {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b ->
            b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x2x20x8K")).seed(SeedSpec.parse("LARGE:1x1x1x4x3M")));

    static final Path MODULE_DIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    static final Path JAR = Path.of(System.getProperty(
            "xnat.cli.jar", MODULE_DIR.resolve("target/xnat-reactive.jar").toString()));
    static final Path PTY = MODULE_DIR.resolve("src/test/python/pty_run.py");
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void env() {
        assertThat(JAR)
                .as("the shaded jar (built by 'package'; failsafe runs after it)")
                .isRegularFile();
        env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XNAT_HOST", xnat.server().baseUrl());
        env.put("XNAT_USER", "admin");
        env.put("XNAT_PASS", "admin");
    }

    record Result(int code, String out, String err) {}

    static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    List<String> cli(String heap, String... args) {
        List<String> c = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-jar", JAR.toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** Runs to the end; a process still running after {@link #TIMEOUT} is killed and the test fails. */
    Result run(List<String> command) throws Exception {
        Path out = tmp.resolve("stdout-" + System.nanoTime());
        Path err = tmp.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(ended).as("the process hung; stderr: " + tail(r.err())).isTrue();
        return r;
    }

    /** Runs {@code shell} (an sh -c command line) at a pseudo-terminal, typing {@code answer} after {@code trigger}. */
    Result atTerminal(String trigger, String answer, String shell) throws Exception {
        List<String> c = List.of("python3", PTY.toString(), trigger, answer, "sh", "-c", shell);
        return run(c);
    }

    String jarCommand(String... args) {
        StringBuilder b = new StringBuilder("exec '" + java() + "' -jar '" + JAR + "'");
        for (String a : args) {
            b.append(" '").append(a).append("'");
        }
        return b.toString();
    }

    static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    // ------------------------------------------------------------------ memory, fatal errors, signals

    static final String HEAD = "{\"ResultSet\":{\"Result\":[";

    static String experiment(int i) {
        return "{\"ID\":\"XNAT_E" + i + "\",\"label\":\"SESSION_" + i + "\",\"xsiType\":\"xnat:mrSessionData\","
                + "\"date\":\"2024-01-01\",\"project\":\"P\",\"insert_date\":\"2024-01-02 10:00:00.0\","
                + "\"URI\":\"/data/experiments/XNAT_E" + i + "\"}";
    }

    @Test
    void lsOf100000ExperimentsWorksIn64MBOfHeap() throws Exception {
        int n = 100_000;
        try (HostileServer server = new HostileServer((req, res) -> req.uri().contains("/experiments")
                ? res.header("Content-Type", "application/json")
                        .sendString(Flux.concat(
                                Mono.just(HEAD),
                                Flux.range(0, n)
                                        .map(i -> (i == 0 ? "" : ",") + experiment(i))
                                        .buffer(500)
                                        .map(l -> String.join("", l)),
                                Mono.just("]}}")))
                        .then()
                : null)) {
            env.put("XNAT_HOST", server.baseUrl());
            Result r = run(cli("64m", "ls", "/projects/P/experiments", "--csv"));
            assertThat(r.code()).as(tail(r.err())).isZero();
            assertThat(r.out().lines().count()).isEqualTo(n + 1);
            assertThat(r.out()).contains("XNAT_E99999,SESSION_99999");
        }
    }

    @Test
    void outOfMemoryInANettyThreadEndsTheProcessWithAMessage() throws Exception {
        String chunk = "x".repeat(64 * 1024);
        try (HostileServer server = new HostileServer((req, res) -> req.uri().contains("/experiments")
                // an error page that never ends: the client reads error pages whole
                ? res.status(500)
                        .header("Content-Type", "text/plain")
                        .sendString(Flux.<String>generate(sink -> sink.next(chunk)))
                        .then()
                : null)) {
            env.put("XNAT_HOST", server.baseUrl());
            Result r = run(cli("48m", "ls", "/projects/P/experiments", "--csv"));
            assertThat(r.code()).as(tail(r.err())).isEqualTo(Cli.ERROR);
            assertThat(r.err()).contains("out of memory");
        }
    }

    @Test
    void ctrlCDuringADownloadLeavesNoPartialFiles() throws Exception {
        Path dest = tmp.resolve("interrupted");
        // each file of 3 MiB stalls after 1 MiB: written to its temporary file as it streams, then nothing more
        xnat.server().faults(FaultSpec.parse("stall=1,stall-after=1M,route=/data/experiments/**"));
        try {
            ProcessBuilder pb = new ProcessBuilder(withDefaultSigint(cli(
                            "128m", "download", "--project", "LARGE", "--dest", dest.toString(), "--archive", "never")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                Flux.interval(Duration.ofMillis(50))
                        .filter(i -> !partFiles(dest).isEmpty())
                        .blockFirst(TIMEOUT);
                assertThat(partFiles(dest))
                        .as("partial copies while the files stall")
                        .isNotEmpty();
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                        .start()
                        .waitFor();
                assertThat(p.waitFor(30, TimeUnit.SECONDS))
                        .as("ended after Ctrl-C")
                        .isTrue();
                assertThat(p.exitValue()).isEqualTo(130);
                assertThat(partFiles(dest)).as("no partial copy left").isEmpty();
            } finally {
                p.destroyForcibly();
            }
        } finally {
            xnat.server().faults(FaultSpec.none());
        }
    }

    /**
     * The command run with SIGINT handled as at a terminal: a build started in the background ({@code mvn verify &},
     * {@code nohup}) passes an ignored SIGINT on to every process it starts, and the JVM keeps ignoring it. The
     * wrapper resets it and execs the command (same PID).
     */
    static List<String> withDefaultSigint(List<String> command) {
        List<String> c = new ArrayList<>(List.of(
                "python3",
                "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1],"
                        + " sys.argv[1:])"));
        c.addAll(command);
        return c;
    }

    static List<Path> partFiles(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        } catch (java.io.IOException e) {
            return List.of(); // a folder removed while walking: look again
        }
    }

    @Test
    void sigtermEndsARunWaitingOnAStalledServer() throws Exception {
        CompletableFuture<Void> asked = new CompletableFuture<>();
        try (HostileServer server = new HostileServer((req, res) -> {
            if (req.uri().contains("/experiments")) {
                asked.complete(null);
                return Mono.never(); // headers never come
            }
            return null;
        })) {
            env.put("XNAT_HOST", server.baseUrl());
            ProcessBuilder pb = new ProcessBuilder(cli("64m", "ls", "/projects/P/experiments"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                asked.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS))
                        .as("ended after SIGTERM")
                        .isTrue();
                assertThat(p.exitValue()).isNotZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ terminals

    @Test
    void progressIsDrawnWhenStderrIsATerminalEvenWithStdoutPiped() throws Exception {
        Path dest = tmp.resolve("dl");
        Result r =
                atTerminal("", "", jarCommand("download", "--project", "DEMO", "--dest", dest.toString()) + " | cat");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("listing what to transfer...")
                .contains("files")
                .contains("\r");
        assertThat(r.out()).contains("80 files");
    }

    @Test
    void thePasswordIsAskedThroughTheTerminalWhenStdoutIsRedirected() throws Exception {
        env.remove("XNAT_PASS");
        Path listing = tmp.resolve("projects.txt");
        Result r = atTerminal("Password for admin", "admin", jarCommand("ls", "/projects") + " > '" + listing + "'");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Password for admin at ").doesNotContain("admin\r\nDEMO");
        assertThat(Files.readString(listing)).contains("DEMO");
    }

    @Test
    void rmOfAProjectAsksOnTheTerminal() throws Exception {
        try (XnatClient c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build()) {
            c.project("TRASH").create().block();
            Result r = atTerminal("Type yes", "yes", jarCommand("rm", "/projects/TRASH"));
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Delete project /projects/TRASH");
            assertThat(c.project("TRASH").exists().block()).isFalse();
        }
    }

    // ------------------------------------------------------------------ configuration and messages

    @Test
    void theNetrcIsFoundUnderHOME() throws Exception {
        env.remove("XNAT_PASS");
        env.remove("XNAT_USER");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path netrc = Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1 login admin password admin\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        Result r = run(cli("128m", "ls", "/projects"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("DEMO");
    }

    @Test
    void aUrlWithoutSchemeAgainstPlainHttpSaysSoInOneLine() throws Exception {
        env.put("XNAT_HOST", "127.0.0.1:" + xnat.server().port());
        Result r = run(cli("128m", "ls", "/projects"));
        assertThat(r.code()).isEqualTo(Cli.ERROR);
        assertThat(r.err()).contains("TLS handshake failed").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    }

    @Test
    void serveTakesItsPasswordsFromTheEnvironment() throws Exception {
        env.put("XNAT_SERVE_PASS_ALICE", "Al1ce-pw");
        ProcessBuilder pb = new ProcessBuilder(cli("128m", "serve", "--port", "0", "--user", "alice"))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String url = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(url).startsWith("http://127.0.0.1:");
            try (XnatClient c = XnatClient.builder()
                    .serverUrl(url)
                    .credentials(Credentials.password("alice", "Al1ce-pw"))
                    .build()) {
                assertThat(c.projects().collectList().block()).isEmpty();
            }
            assertThat(p.info().arguments().map(List::of).orElse(List.of())).noneMatch(a -> a.contains("Al1ce"));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ the launcher (bin/xnat-reactive)

    @Test
    void theLauncherRunsTheJarWithItsClassDataArchiveAndItsJitThresholds() throws Exception {
        Path launcher = MODULE_DIR.resolve("bin/xnat-reactive");
        env.put("XNAT_REACTIVE_JAR", JAR.toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("JAVA_HOME", Path.of(java()).getParent().getParent().toString());
        Path cache = tmp.resolve("cache/xnat-reactive");
        // the archive holds the classes of the run that writes it: not a run for the version or help, nor one that
        // ends in a usage error
        Result first = run(List.of(launcher.toString(), "--version"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("xnat-reactive");
        Result usage = run(List.of(launcher.toString(), "ls", "--no-such-option"));
        assertThat(usage.code()).isEqualTo(2);
        assertThat(archives(cache)).isEmpty();
        // the first run that talks to the server leaves the class-data archive of this jar and JDK for the next ones
        Result listed = run(List.of(launcher.toString(), "ls", "/projects"));
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(archives(cache)).hasSize(1);
        Result again = run(List.of(launcher.toString(), "ls", "/projects"));
        assertThat(again.out()).isEqualTo(listed.out()); // and nothing of the JVM's own on standard output
        Result second = run(List.of(launcher.toString(), "--version"));
        assertThat(second.out()).isEqualTo(first.out());

        // Netty's flight-recorder events are off unless the options turn them on
        env.put("XNAT_REACTIVE_JAVA_OPTS", "-XshowSettings:properties");
        assertThat(run(List.of(launcher.toString(), "--version")).err()).contains("io.netty.jfr.enabled = false");
        env.put("XNAT_REACTIVE_JAVA_OPTS", "-XshowSettings:properties -Dio.netty.jfr.enabled=true");
        assertThat(run(List.of(launcher.toString(), "--version")).err()).contains("io.netty.jfr.enabled = true");

        // C2 waits for ten times the JVM's default number of calls, unless XNAT_REACTIVE_JIT=default
        env.put("XNAT_REACTIVE_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Result flags = run(List.of(launcher.toString(), "--version"));
        assertThat(flags.out()).containsPattern("Tier4InvocationThreshold\\s+=\\s+50000\\s");
        env.put("XNAT_REACTIVE_JIT", "default");
        Result plain = run(List.of(launcher.toString(), "--version"));
        assertThat(plain.out()).containsPattern("Tier4InvocationThreshold\\s+=\\s+5000\\s");
    }

    @Test
    void whileADaemonRunsTheLauncherSendsItTheCommandsAndCtrlCStillCancels() throws Exception {
        Path launcher = MODULE_DIR.resolve("bin/xnat-reactive");
        env.put("XNAT_REACTIVE_JAR", JAR.toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("JAVA_HOME", Path.of(java()).getParent().getParent().toString());
        Result none = run(List.of(launcher.toString(), "daemon", "status"));
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.out()).contains("no daemon is running");
        Result started = run(List.of(launcher.toString(), "daemon", "start", "--idle", "5m"));
        assertThat(started.code()).as(started.err()).isZero();
        var pid = java.util.regex.Pattern.compile("daemon started: pid (\\d+)").matcher(started.out());
        assertThat(pid.find()).as(started.out()).isTrue();
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        try {
            assertThat(run(List.of(launcher.toString(), "daemon", "start")).out())
                    .startsWith("already daemon running");
            // the same output as the jar's own, from the daemon (it counts what it served)
            Result listed = run(List.of(launcher.toString(), "ls", "/projects"));
            assertThat(listed.code()).as(listed.err()).isZero();
            assertThat(listed.out())
                    .isEqualTo(run(cli("128m", "ls", "/projects")).out());
            assertThat(run(List.of(launcher.toString(), "daemon", "status")).out())
                    .contains("1 commands served");
            env.put("XNAT_REACTIVE_DAEMON", "0");
            assertThat(run(List.of(launcher.toString(), "ls", "/projects")).code())
                    .isZero();
            env.remove("XNAT_REACTIVE_DAEMON");
            assertThat(run(List.of(launcher.toString(), "daemon", "status")).out())
                    .as("XNAT_REACTIVE_DAEMON=0 ran it in a JVM of its own")
                    .contains("1 commands served");

            // Ctrl-C on the client: the daemon cancels the download, which leaves no partial file
            Path dest = tmp.resolve("interrupted");
            xnat.server().faults(FaultSpec.parse("stall=1,stall-after=1M,route=/data/experiments/**"));
            ProcessBuilder pb = new ProcessBuilder(withDefaultSigint(List.of(
                            launcher.toString(),
                            "download",
                            "--project",
                            "LARGE",
                            "--dest",
                            dest.toString(),
                            "--archive",
                            "never")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                Flux.interval(Duration.ofMillis(50))
                        .filter(i -> !partFiles(dest).isEmpty())
                        .blockFirst(TIMEOUT);
                ProcessHandle client = p.descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("java"))
                        .findFirst()
                        .orElseThrow();
                new ProcessBuilder("kill", "-INT", Long.toString(client.pid()))
                        .start()
                        .waitFor();
                assertThat(p.waitFor(30, TimeUnit.SECONDS))
                        .as("ended after Ctrl-C")
                        .isTrue();
                assertThat(p.exitValue()).isEqualTo(130);
                assertThat(partFiles(dest)).as("no partial copy left").isEmpty();
                assertThat(daemon.isAlive()).isTrue();
            } finally {
                p.destroyForcibly();
                xnat.server().faults(FaultSpec.none());
            }

            Result stopped = run(List.of(launcher.toString(), "daemon", "stop"));
            assertThat(stopped.out()).contains("stopped the daemon (pid " + daemon.pid() + ")");
            daemon.onExit().get(30, TimeUnit.SECONDS);
            assertThat(run(List.of(launcher.toString(), "daemon", "status")).code())
                    .isEqualTo(1);
            assertThat(run(List.of(launcher.toString(), "ls", "/projects")).out())
                    .isEqualTo(listed.out());
            assertThat(run(List.of(launcher.toString(), "daemon", "status")).code())
                    .as("a command starts none by itself")
                    .isEqualTo(1);

            // XNAT_REACTIVE_DAEMON=auto: the first command starts one, and runs in it
            env.put("XNAT_REACTIVE_DAEMON", "auto");
            assertThat(run(List.of(launcher.toString(), "--version")).code()).isZero();
            assertThat(run(List.of(launcher.toString(), "daemon", "status")).code())
                    .as("not for the version")
                    .isEqualTo(1);
            Result auto = run(List.of(launcher.toString(), "ls", "/projects"));
            assertThat(auto.out()).as("only the command's output").isEqualTo(listed.out());
            Result autoStatus = run(List.of(launcher.toString(), "daemon", "status"));
            assertThat(autoStatus.out()).contains("1 commands served");
            var autoPid = java.util.regex.Pattern.compile("pid (\\d+)").matcher(autoStatus.out());
            assertThat(autoPid.find()).isTrue();
            daemon = ProcessHandle.of(Long.parseLong(autoPid.group(1))).orElseThrow();
            assertThat(run(List.of(launcher.toString(), "daemon", "stop")).out())
                    .contains("stopped the daemon");
            daemon.onExit().get(30, TimeUnit.SECONDS);
        } finally {
            daemon.destroy();
        }
    }

    static List<String> archives(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (var files = Files.list(cache)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".jsa"))
                    .toList();
        }
    }

    /** A JDK 25 or later on this machine (JDKs under /usr/lib/jvm), or null. */
    static Path jdk25() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var dirs = Files.list(jvms)) {
            for (Path d : dirs.sorted().toList()) {
                Path release = d.resolve("release");
                if (Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(release)) {
                    var m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)")
                            .matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
                        return d;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void onJava25TheLauncherTrainsAnAotCacheAndUsesIt() throws Exception {
        Path launcher = MODULE_DIR.resolve("bin/xnat-reactive");
        env.put("XNAT_REACTIVE_JAR", JAR.toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("XNAT_REACTIVE_AOT", "train");
        // below Java 25 training is refused in one line, and the command runs all the same
        env.put("JAVA_HOME", Path.of(java()).getParent().getParent().toString());
        if (Runtime.version().feature() < 25) {
            Result refused = run(List.of(launcher.toString(), "--version"));
            assertThat(refused.code()).as(refused.err()).isZero();
            assertThat(refused.out()).startsWith("xnat-reactive ");
            assertThat(refused.err()).contains("an AOT cache needs Java 25 or later");
        }
        Path jdk = jdk25();
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk != null, "no JDK 25 or later under /usr/lib/jvm");
        env.put("JAVA_HOME", jdk.toString());
        Result trained = run(List.of(launcher.toString(), "--version"));
        assertThat(trained.code()).as(trained.err()).isZero();
        // standard output holds the command's output only (the JVM's own line of a training run is dropped)
        assertThat(trained.out().strip()).matches("xnat-reactive \\S+ \\(Java 25[^)]*\\)");
        try (var files = Files.list(tmp.resolve("cache/xnat-reactive"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".aot"));
        }
        // a failing command keeps its exit code through a training run
        Result bad = run(List.of(launcher.toString(), "download", "--no-such-option"));
        assertThat(bad.code()).isEqualTo(2);
        // the next runs start from the cache
        env.remove("XNAT_REACTIVE_AOT");
        env.put("XNAT_REACTIVE_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Result flags = run(List.of(launcher.toString(), "--version"));
        assertThat(flags.code()).as(flags.err()).isZero();
        assertThat(flags.out()).containsPattern("AOTCache\\s+=\\s+\\S+/aot-25-\\d+\\.aot\\s");
    }
}
