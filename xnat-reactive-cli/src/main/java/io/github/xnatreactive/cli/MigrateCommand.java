package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.ArchiveMode;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.kafka.EmbeddedMigration;
import io.github.xnatreactive.kafka.MigrationClients;
import io.github.xnatreactive.kafka.MigrationOptions;
import io.github.xnatreactive.kafka.MigrationPlan;
import io.github.xnatreactive.kafka.MigrationPlanner;
import io.github.xnatreactive.kafka.MigrationStatus;
import io.github.xnatreactive.kafka.MigrationWorker;
import io.github.xnatreactive.kafka.SessionResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code migrate}: a whole-site migration. With no subcommand, planner and worker in this process and no broker;
 * {@code plan}, {@code worker} and {@code status} share the job through Kafka.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Migrate a whole site (every project, or those given, session by session) to another XNAT or to a "
                    + "folder. Without a subcommand: in this process, no broker. With Kafka: 'migrate plan' writes one "
                    + "record per session to the job's work topic, any number of 'migrate worker's share them, 'migrate "
                    + "status' tells how far the job is. Rerunning is safe: only what is not verified in place moves."
        },
        subcommands = {MigrateCommand.Plan.class, MigrateCommand.Worker.class, MigrateCommand.Status.class})
final class MigrateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cli cli;

    @Mixin
    Servers servers = new Servers();

    @Mixin
    Work work = new Work();

    @Option(names = "--job", paramLabel = "J", defaultValue = "embedded", description = "the job's name in reports")
    String job;

    @Option(names = "--project", paramLabel = "P", description = "a source project (repeatable; default all)")
    List<String> projects = new ArrayList<>();

    @Option(names = "--json", description = "one JSON object per session, then the totals")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "print the totals only, not a line per session")
    boolean quiet;

    MigrateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        MigrationOptions options = work.options();
        try (Clients clients = new Clients(cli, servers, work.poolSize())) {
            MigrationPlan plan = servers.plan(cli, job, clients).projects(projects);
            Totals totals = new Totals();
            Integer interrupted = Interrupts.run(EmbeddedMigration.run(plan.tasks(), clients, options)
                    .doOnNext(r -> print(cli, json, quiet, r, totals)));
            if (interrupted != null) {
                return interrupted;
            }
            totals.print(cli, json);
            return totals.failed > 0 ? Cli.FAILED_ITEMS : Cli.OK;
        }
    }

    static void print(Cli cli, boolean json, boolean quiet, SessionResult r, Totals totals) {
        totals.add(r);
        if (quiet) {
            return;
        }
        if (json) {
            cli.out.println(JSON.writeValueAsString(r));
        } else {
            cli.out.printf(
                    Locale.ROOT,
                    "%-6s %s/%s (%s): %d files (%s) moved, %d in place, %d attempts%s%n",
                    r.done() ? "done" : "FAILED",
                    r.project(),
                    r.label(),
                    r.session(),
                    r.files(),
                    Reporter.bytes(r.bytes()),
                    r.skipped(),
                    r.attempts(),
                    r.done() ? "" : ": " + r.cause());
        }
    }

    /** Sessions done and failed in this process. */
    static final class Totals {
        long done;
        long failed;
        long files;
        long bytes;
        final long started = System.nanoTime();

        synchronized void add(SessionResult r) {
            if (r.done()) {
                done++;
            } else {
                failed++;
            }
            files += r.files();
            bytes += r.bytes();
        }

        /** Sessions reported so far, done or failed. */
        synchronized long count() {
            return done + failed;
        }

        synchronized void print(Cli cli, boolean json) {
            double s = (System.nanoTime() - started) / 1e9;
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "finished");
                m.put("done", done);
                m.put("failed", failed);
                m.put("files", files);
                m.put("bytes", bytes);
                m.put("seconds", s);
                cli.out.println(JSON.writeValueAsString(m));
            } else {
                cli.out.printf(
                        Locale.ROOT,
                        "%d sessions done, %d failed; %d files (%s) moved in %.1f s (%.1f sessions/s)%n",
                        done,
                        failed,
                        files,
                        Reporter.bytes(bytes),
                        s,
                        s > 0 ? (done + failed) / s : 0);
            }
        }
    }

    /** Runs a flux to its end, or until Ctrl-C or SIGTERM: then cancels it and answers {@link Cli#INTERRUPTED}. */
    static final class Interrupts {
        private Interrupts() {}

        static Integer run(Flux<?> flux) {
            Sinks.One<Boolean> interrupted = Sinks.one();
            Thread hook = new Thread(() -> interrupted.tryEmitValue(true), "xnat-reactive-cancel-migration");
            Runtime.getRuntime().addShutdownHook(hook);
            AtomicLong seen = new AtomicLong();
            try {
                Object last = flux.doOnNext(x -> seen.incrementAndGet())
                        .map(x -> (Object) x)
                        .concatWith(Flux.just("end"))
                        .takeUntilOther(interrupted.asMono())
                        .blockLast();
                return "end".equals(last) ? null : Cli.INTERRUPTED;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
        }
    }

    /** Where sessions come from and go to, and the credentials of each side (never from a flag). */
    static final class Servers {
        @Option(names = "--from", paramLabel = "URL", description = "source XNAT URL (default: $XNAT_HOST)")
        String from;

        @Option(names = "--user", paramLabel = "NAME", description = "source user (default: $XNAT_USER, else netrc)")
        String user;

        @Option(names = "--to", paramLabel = "URL", description = "destination XNAT URL (default: $XNAT_TO_HOST)")
        String to;

        @Option(
                names = "--to-user",
                paramLabel = "NAME",
                description = "destination user (default: $XNAT_TO_USER, else netrc); password from $XNAT_TO_PASS")
        String toUser;

        @Option(
                names = "--to-dir",
                paramLabel = "DIR",
                description = "download into this folder instead of mirroring (shared by every worker)")
        Path toDir;

        @Option(names = "--netrc-file", paramLabel = "FILE", description = "the netrc file with the logins")
        Path netrcFile;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificates of the source")
        Path caFile;

        @Option(names = "--to-ca-file", paramLabel = "PEM", description = "CA certificates of the destination")
        Path toCaFile;

        @Option(names = "--insecure", description = "accept any TLS certificate from the source (dangerous)")
        boolean insecure;

        @Option(names = "--to-insecure", description = "accept any TLS certificate from the destination (dangerous)")
        boolean toInsecure;

        String from(Cli cli) {
            String u = from != null ? from : cli.env.get("XNAT_HOST");
            if (u == null || u.isBlank()) {
                throw new Cli.UsageException("no source: give --from URL or set XNAT_HOST");
            }
            return u;
        }

        MigrationPlan plan(Cli cli, String job, Clients clients) {
            XnatClient src = clients.client(from(cli), true);
            if (toDir != null) {
                if (to != null) {
                    throw new Cli.UsageException("give --to URL or --to-dir DIR, not both");
                }
                return MigrationPlan.download(job, src, toDir);
            }
            String dst = to != null ? to : cli.env.get("XNAT_TO_HOST");
            if (dst == null || dst.isBlank()) {
                throw new Cli.UsageException("no destination: give --to URL (or set XNAT_TO_HOST), or --to-dir DIR");
            }
            return MigrationPlan.mirror(job, src, clients.client(dst, false));
        }
    }

    /** The clients of this process, one per server URL and side, made when first needed and closed at the end. */
    static final class Clients implements MigrationClients, AutoCloseable {
        private final Cli cli;
        private final Servers servers;
        private final int pool;
        private final Map<String, XnatClient> made = new ConcurrentHashMap<>();

        Clients(Cli cli, Servers servers, int pool) {
            this.cli = cli;
            this.servers = servers;
            this.pool = pool;
        }

        @Override
        public XnatClient client(String url, boolean source) {
            return made.computeIfAbsent(
                    (source ? "from " : "to ") + url,
                    k -> source
                            ? ConnectionOptions.client(
                                    cli,
                                    url,
                                    "XNAT_HOST",
                                    servers.user,
                                    "XNAT_USER",
                                    "XNAT_PASS",
                                    null,
                                    servers.caFile,
                                    servers.insecure,
                                    pool,
                                    servers.netrcFile)
                            : ConnectionOptions.client(
                                    cli,
                                    url,
                                    "XNAT_TO_HOST",
                                    servers.toUser,
                                    "XNAT_TO_USER",
                                    "XNAT_TO_PASS",
                                    null,
                                    servers.toCaFile,
                                    servers.toInsecure,
                                    pool,
                                    servers.netrcFile));
        }

        @Override
        public void close() {
            made.values().forEach(XnatClient::close);
        }
    }

    /** How a process runs sessions: how many at once, attempts, files at once within each. */
    static final class Work {
        @Option(
                names = "--concurrency",
                paramLabel = "N",
                defaultValue = "4",
                description = "sessions at once in this process (default 4)")
        int concurrency;

        @Option(
                names = "--attempts",
                paramLabel = "N",
                defaultValue = "3",
                description = "runs of a failing session before it is reported failed (default 3)")
        int attempts;

        @Option(
                names = "--file-concurrency",
                paramLabel = "N",
                defaultValue = "8",
                description = "files at once within each session to begin with (default 8; adapts up to 4x)")
        int fileConcurrency;

        @Option(
                names = "--archive",
                paramLabel = "MODE",
                defaultValue = "auto",
                description = "auto, always or never: move a resource's small files as one zip (default auto)")
        String archive;

        MigrationOptions options() {
            if (concurrency < 1 || attempts < 1 || fileConcurrency < 1) {
                throw new Cli.UsageException("--concurrency, --attempts and --file-concurrency must be at least 1");
            }
            ArchiveMode mode;
            try {
                mode = ArchiveMode.valueOf(archive.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException("--archive must be auto, always or never, not '" + archive + "'");
            }
            return MigrationOptions.defaults()
                    .concurrency(concurrency)
                    .attempts(attempts)
                    .transfer(TransferOptions.defaults()
                            .concurrency(fileConcurrency)
                            .maxConcurrency(fileConcurrency * 4)
                            .archive(mode));
        }

        /** Connections per server: enough for every session's most files at once. */
        int poolSize() {
            return Math.min(512, Math.max(1, concurrency * fileConcurrency * 4));
        }
    }

    /** The broker and the job. */
    static final class KafkaOptions {
        @Option(
                names = "--kafka",
                paramLabel = "BOOTSTRAP",
                description = "Kafka bootstrap servers, host:port[,host:port...] (default: $XNAT_MIGRATE_KAFKA)")
        String kafka;

        @Option(
                names = "--kafka-config",
                paramLabel = "FILE",
                description = "a properties file of Kafka client settings (security, timeouts)")
        Path kafkaConfig;

        @Option(
                names = "--job",
                required = true,
                paramLabel = "J",
                description = "the job's ID (letters, digits, _, -)")
        String job;

        Map<String, Object> config(Cli cli) {
            Map<String, Object> c = new HashMap<>();
            if (kafkaConfig != null) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(kafkaConfig)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new Cli.UsageException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage());
                }
                p.forEach((k, v) -> c.put(k.toString(), v));
            }
            String b = kafka != null ? kafka : cli.env.get("XNAT_MIGRATE_KAFKA");
            if (b != null && !b.isBlank()) {
                c.put("bootstrap.servers", b);
            }
            if (!c.containsKey("bootstrap.servers")) {
                throw new Cli.UsageException("no broker: give --kafka BOOTSTRAP or set XNAT_MIGRATE_KAFKA");
            }
            return c;
        }
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = {
                "Write one record per session of the source (every project, or those given) to the job's work "
                        + "topic, creating the job's topics if needed. A rerun writes only the sessions not planned yet."
            })
    static final class Plan implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Servers servers = new Servers();

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Option(names = "--project", paramLabel = "P", description = "a source project (repeatable; default all)")
        List<String> projects = new ArrayList<>();

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "12",
                description = "partitions of the work topic when it is created: the most workers (default 12)")
        int partitions;

        Plan(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Map<String, Object> config = kafka.config(cli);
            try (Clients clients = new Clients(cli, servers, 4)) {
                MigrationPlan plan = servers.plan(cli, kafka.job, clients).projects(projects);
                MigrationPlanner.Report r = MigrationPlanner.of(config, kafka.job)
                        .partitions(partitions)
                        .plan(plan.tasks())
                        .block();
                cli.out.printf(
                        Locale.ROOT,
                        "%s: %d sessions planned, %d planned before%n",
                        r.job(),
                        r.planned(),
                        r.alreadyPlanned());
                return Cli.OK;
            }
        }
    }

    @Command(
            name = "worker",
            mixinStandardHelpOptions = true,
            description = {
                "Join the job's workers: run the sessions Kafka assigns to this process, commit each once it is "
                        + "verified at the destination, report it to the results topic. Runs until Ctrl-C or SIGTERM"
                        + " (or, with --until-done, until the job has nothing left). Ctrl-C or SIGTERM stops it"
                        + " gracefully: it starts no new session, lets the ones in flight finish and commit for at"
                        + " most --drain, then leaves the group, so that the other workers take its sessions at once."
                        + " A killed worker's sessions go to the others too, which move only their remainder."
            })
    static final class Worker implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Servers servers = new Servers();

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Mixin
        Work work = new Work();

        @Option(names = "--id", paramLabel = "ID", description = "this worker's ID in reports (default: a random one)")
        String id;

        @Option(names = "--until-done", description = "exit once every planned session is reported (checked each 5 s)")
        boolean untilDone;

        @Option(names = "--json", description = "one JSON object per session")
        boolean json;

        @Option(
                names = {"-q", "--quiet"},
                description = "print the totals only, not a line per session")
        boolean quiet;

        @Option(
                names = "--drain",
                paramLabel = "TIME",
                defaultValue = "20s",
                description = "after Ctrl-C or SIGTERM, how long the sessions in flight may take to finish and commit"
                        + " (default 20s; e.g. 90s, 5m; 0 stops them at once, and their new owners move their"
                        + " remainder)")
        String drain;

        Worker(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Duration drainTime = duration("--drain", drain);
            Map<String, Object> config = kafka.config(cli);
            MigrationOptions options = work.options();
            Totals totals = new Totals();
            try (Clients clients = new Clients(cli, servers, work.poolSize());
                    GracefulStop stop = GracefulStop.install(cli, drainTime, totals::count)) {
                MigrationWorker worker = MigrationWorker.of(config, kafka.job, clients, options);
                if (id != null) {
                    worker = worker.id(id);
                }
                Flux<SessionResult> results = worker.run(stop.signal(), drainTime, stop::stopped)
                        .doOnNext(r -> print(cli, json, quiet, r, totals));
                if (untilDone) {
                    Flux<MigrationStatus> finished = Flux.interval(Duration.ZERO, Duration.ofSeconds(5))
                            .onBackpressureDrop()
                            .concatMap(t -> MigrationStatus.read(config, kafka.job), 1)
                            .filter(MigrationStatus::finished)
                            .subscribeOn(Schedulers.boundedElastic());
                    results = results.takeUntilOther(finished.next());
                }
                results.blockLast();
                totals.print(cli, json);
                if (stop.requested()) {
                    return Cli.INTERRUPTED;
                }
                return totals.failed > 0 ? Cli.FAILED_ITEMS : Cli.OK;
            }
        }

        /** "20s", "5m", "250ms", "1h" or "0". */
        static Duration duration(String option, String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?")
                    .matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!m.matches() || (m.group(2) == null && !m.group(1).matches("0+"))) {
                throw new Cli.UsageException(option + " takes a time such as 20s, 90s or 5m, not '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    /**
     * A worker's graceful stop on Ctrl-C or SIGTERM: the JVM's shutdown waits (a hook) while the worker starts no new
     * session and commits the ones in flight, for at most the drain time; the process then exits as interrupted.
     * The shutdown's watchdog ({@link Main#shutdownGrace}) is given the drain time and the Kafka clients' close.
     */
    static final class GracefulStop implements AutoCloseable {
        /** What a stop takes beyond the drain: the consumer's and producer's close, the totals. */
        private static final Duration CLOSE = Duration.ofSeconds(12);

        private final Cli cli;
        private final Duration drain;
        private final java.util.function.LongSupplier reported;
        private final Sinks.Empty<Void> stop = Sinks.empty();
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean requested =
                new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.atomic.AtomicBoolean announced =
                new java.util.concurrent.atomic.AtomicBoolean();
        private final java.util.concurrent.CountDownLatch said = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook;

        private GracefulStop(Cli cli, Duration drain, java.util.function.LongSupplier reported) {
            this.cli = cli;
            this.drain = drain;
            this.reported = reported;
            this.hook = new Thread(this::onSignal, "xnat-reactive-drain");
        }

        /** {@code reported}: how many sessions the command has reported, for the stop's message. */
        static GracefulStop install(Cli cli, Duration drain, java.util.function.LongSupplier reported) {
            GracefulStop g = new GracefulStop(cli, drain, reported);
            Main.shutdownGrace(drain.plus(CLOSE));
            Runtime.getRuntime().addShutdownHook(g.hook);
            return g;
        }

        /** Completes at the stop. */
        Mono<Void> signal() {
            return stop.asMono();
        }

        /** Whether a stop came (a signal, or {@link #stop}). */
        boolean requested() {
            return requested.get();
        }

        /** Stops the worker gracefully now (what a signal does), without waiting. */
        void stop() {
            if (requested.compareAndSet(false, true)) {
                stop.tryEmitEmpty();
            }
        }

        /**
         * The worker's word that the stop took effect: it starts no new session, and those it reports from now on
         * are the {@code inFlight} it had. The message counts the sessions reported until then, so that a session
         * started between the signal and this (a few milliseconds) is not left out of it.
         */
        void stopped(int inFlight) {
            long n = reported.getAsLong();
            announce(
                    inFlight == 0
                            ? n + " sessions: no new session, none in flight; this worker leaves the job's group"
                            : n + " sessions: no new session; the " + inFlight + " in flight finish and commit first"
                                    + within());
        }

        private String within() {
            return " (at most " + drain.toSeconds() + " s), then this worker leaves the job's group";
        }

        private void announce(String what) {
            if (announced.compareAndSet(false, true)) {
                cli.err.println("xnat-reactive: stopping after " + what);
                cli.err.flush();
                said.countDown();
            }
        }

        private void onSignal() {
            stop();
            // the worker says when the stop took effect; one that cannot (its Kafka receiver not started yet, or
            // stuck) still gets the user a word within a second
            try {
                said.await(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                announce(reported.getAsLong() + " sessions: no new session; the sessions in flight finish and commit"
                        + " first" + within());
            }
            // the exit waits for the command's end: the totals, or its error, printed (by Main when it runs this
            // JVM, else when this closes)
            Main.awaitCommandEnd(ended, drain.plus(CLOSE));
        }

        @Override
        public void close() {
            cli.out.flush();
            ended.countDown();
            Main.shutdownGrace(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the worker has ended
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "How far the job is: planned, done, failed, remaining, throughput (from its topics).")
    static final class Status implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        KafkaOptions kafka = new KafkaOptions();

        @Option(names = "--json", description = "the status as one JSON object")
        boolean json;

        Status(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            MigrationStatus s =
                    MigrationStatus.read(kafka.config(cli), kafka.job).block();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("job", s.job());
                m.put("planned", s.planned());
                m.put("done", s.done());
                m.put("failed", s.failed());
                m.put("remaining", s.remaining());
                m.put("bytes", s.bytes());
                m.put("seconds", s.seconds());
                m.put("sessionsPerSecond", s.sessionsPerSecond());
                m.put("bytesPerSecond", s.bytesPerSecond());
                cli.out.println(JSON.writeValueAsString(m));
            } else {
                cli.out.println(s.summary());
            }
            return Cli.OK;
        }
    }
}
