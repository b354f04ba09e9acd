package io.github.xnatreactive.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = {
            "A resident JVM for the commands that follow: while one runs, the launcher (bin/xnat-reactive) sends each"
                    + " command to it, so that a command starts in a tenth of a second on code compiled already instead"
                    + " of paying a JVM's start and warm-up (about a second of CPU). Commands run there with your"
                    + " directory, environment and terminal, and Ctrl-C works as without it. It serves your user only,"
                    + " and stops after --idle without commands (XNAT_REACTIVE_DAEMON=0 bypasses it)."
        },
        subcommands = {DaemonCommand.Start.class, DaemonCommand.Stop.class, DaemonCommand.Status.class})
final class DaemonCommand implements Runnable {
    /** What the daemon's process keeps of the environment that starts it: no secrets (commands bring their own). */
    static final Set<String> KEPT_ENV =
            Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "XNAT_LOG_LEVEL");

    DaemonCommand(Cli cli) {}

    @Override
    public void run() {
        throw new Cli.UsageException("daemon takes start, stop or status");
    }

    /**
     * The daemon's socket: {@code $XNAT_REACTIVE_DAEMON_SOCKET} (the launcher sets one per jar and JDK, so that a new
     * version never talks to an old daemon), else {@code daemon/daemon.sock} in the cache folder.
     */
    static Path socket(Cli cli) {
        String s = cli.env.get("XNAT_REACTIVE_DAEMON_SOCKET");
        if (s != null && !s.isBlank()) {
            return cli.path(s);
        }
        String cache = cli.env.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? cli.path(cache) : cli.home.resolve(".cache");
        return base.resolve("xnat-reactive").resolve("daemon").resolve("daemon.sock");
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start the daemon in the background (nothing when one runs already); prints its pid.")
    static final class Start implements java.util.concurrent.Callable<Integer> {
        private final Cli cli;

        @Option(
                names = "--idle",
                paramLabel = "TIME",
                defaultValue = "30m",
                description = "stop after this long without commands, e.g. 90s, 30m, 8h (default: ${DEFAULT-VALUE})")
        String idle;

        Start(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws IOException {
            Duration after = MigrateCommand.Worker.duration("--idle", idle);
            if (after.toSeconds() < 1) {
                throw new Cli.UsageException("--idle takes a time of a second or more, not '" + idle + "'");
            }
            Path socket = socket(cli);
            String running = DaemonClient.status(socket);
            if (running != null) {
                cli.out.println("already " + running);
                return Cli.OK;
            }
            if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
                throw new Cli.UsageException("the daemon's socket path " + socket + " is too long for a Unix socket"
                        + " (100 bytes at most): set XNAT_REACTIVE_DAEMON_SOCKET to a shorter one");
            }
            Daemon.privateFolder(socket.getParent());
            Path log = DaemonClient.logOf(socket);
            ProcessBuilder pb = new ProcessBuilder(command(socket, after))
                    .directory(new File("/")) // a path left relative by mistake fails, not lands in a folder of ours
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = pb.environment();
            env.clear();
            cli.env.forEach((k, v) -> {
                if (KEPT_ENV.contains(k)) {
                    env.put(k, v);
                }
            });
            Process p = pb.start();
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    return r.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            String line;
            try {
                line = ready.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                line = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                line = null;
            }
            if (line == null || !line.startsWith("ready ")) {
                p.destroy();
                cli.err.println("xnat-reactive: the daemon did not start; the end of its log (" + log + "):");
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(cli.err::println);
                return Cli.ERROR;
            }
            cli.out.println("daemon started: pid " + line.substring(6) + "; the launcher's commands run in it now,"
                    + " until 'xnat-reactive daemon stop' or " + idle + " without commands (log: " + log + ")");
            return Cli.OK;
        }

        private List<String> command(Path socket, Duration after) {
            List<String> cmd = new ArrayList<>();
            for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
                if (Files.isExecutable(Path.of(setsid))) {
                    cmd.add(setsid); // its own session: the terminal's hang-up and job control leave it alone
                    break;
                }
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Dio.netty.jfr.enabled=false");
            // an idle daemon gives the heap of a large job back to the system (G1, the JVM's default here)
            cmd.add("-XX:G1PeriodicGCInterval=60000");
            // the Vector API, with which archive downloads hash their entries in SIMD lanes, several at once, once
            // the JIT has made that faster than one by one (a resident JVM gets there; the JVM warns that the module
            // incubates, into the daemon's log)
            cmd.add("--add-modules=jdk.incubator.vector");
            String opts = cli.env.get("XNAT_REACTIVE_DAEMON_JAVA_OPTS");
            if (opts != null && !opts.isBlank()) {
                cmd.addAll(List.of(opts.trim().split("\\s+")));
            }
            cmd.add("-cp");
            cmd.add(jar());
            cmd.add(Daemon.class.getName());
            cmd.add("--socket");
            cmd.add(socket.toString());
            cmd.add("--idle");
            cmd.add(Long.toString(after.toSeconds()));
            return cmd;
        }

        private static String jar() {
            try {
                return Path.of(Daemon.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop the daemon; commands running in it are interrupted as by Ctrl-C.")
    static final class Stop implements java.util.concurrent.Callable<Integer> {
        private final Cli cli;

        Stop(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Path socket = socket(cli);
            String answer = DaemonClient.stop(socket);
            cli.out.println(answer != null ? answer : "no daemon is running (socket " + socket + ")");
            return Cli.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Whether the daemon runs (exit code 0) or not (1), and what it does.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        private final Cli cli;

        Status(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Path socket = socket(cli);
            String answer = DaemonClient.status(socket);
            cli.out.println(answer != null ? answer : "no daemon is running (socket " + socket + ")");
            return answer != null ? Cli.OK : Cli.FAILED_ITEMS;
        }
    }
}
