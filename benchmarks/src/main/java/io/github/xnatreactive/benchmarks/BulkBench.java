package io.github.xnatreactive.benchmarks;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark driver for our side of benchmarks/run.sh:
 *
 * <pre>
 * java -jar xnat-reactive-benchmarks.jar download --server URL --user U --password P --project P --dest DIR
 *      [--concurrency N]
 * java -jar xnat-reactive-benchmarks.jar upload --server URL --user U --password P --project P --dir DIR
 *      [--concurrency N]      (DIR holds downloaded session folders, at any depth)
 * </pre>
 *
 * {@code --trace true} prints every event but {@code Bytes} to standard error, with seconds since the JVM started.
 * {@code --repeat N} runs the job N - 1 times untimed in the same JVM first (a download into {@code DIR-warmupK}, an
 * upload into project {@code P_warmupK}), so that the timed run shows the engine in a warm JVM.
 * Engine options the bulk engine may or may not have yet: {@code --archive auto|always|never} and
 * {@code --option NAME=VALUE} (repeatable) call {@code TransferOptions.NAME(VALUE)} by reflection when that method
 * exists (int, long, boolean, Duration, String or enum parameter) and are reported as ignored otherwise, so this
 * driver compiles against every version of the API.
 *
 * <p>Prints one line {@code RESULT files=.. bytes=.. seconds=.. failed=.. planned_s=.. first_started_s=..
 * first_byte_s=.. cpu_s=.. ignored=..}, the three {@code _s} figures before {@code cpu_s} in seconds since the JVM
 * started (-1: never happened), {@code cpu_s} the CPU seconds (all threads) the JVM spent during the timed round,
 * and exits 1 if any file failed.
 */
public final class BulkBench {
    private BulkBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: download|upload --server URL --user U --password P --project P"
                    + " (--dest DIR | --dir DIR) [--concurrency N]");
            System.exit(2);
        }
        Map<String, String> o = new HashMap<>();
        Map<String, String> engineOptions = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            switch (key) {
                case "archive" -> engineOptions.put("archive", args[i + 1]);
                case "option" -> {
                    String[] kv = args[i + 1].split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("--option takes NAME=VALUE, got " + args[i + 1]);
                    }
                    engineOptions.put(kv[0], kv[1]);
                }
                default -> o.put(key, args[i + 1]);
            }
        }
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "8"));
        List<String> ignored = new ArrayList<>();
        TransferOptions options = TransferOptions.defaults().concurrency(concurrency);
        for (Map.Entry<String, String> e : engineOptions.entrySet()) {
            TransferOptions applied = apply(options, e.getKey(), e.getValue());
            if (applied == null && e.getKey().equals("archive")) {
                applied = apply(options, "archiveMode", e.getValue());
            }
            if (applied == null) {
                System.err.println("NOTE: this engine's TransferOptions has no " + e.getKey() + "(...): --" + e.getKey()
                        + " ignored");
                ignored.add(e.getKey());
            } else {
                options = applied;
            }
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        boolean trace = Boolean.parseBoolean(o.getOrDefault("trace", "false"));
        AtomicLong plannedAt = new AtomicLong(-1);
        AtomicLong firstStartedAt = new AtomicLong(-1);
        AtomicLong firstByteAt = new AtomicLong(-1);
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(o.get("server"))
                .credentials(Credentials.password(o.get("user"), o.get("password")))
                .maxConnections(poolSize(options, concurrency))
                .build()) {
            BulkClient bulk = BulkClient.of(xnat, options);
            if (args[0].equals("latency")) {
                // sequential single-file downloads: per-file latency, to disk and to memory
                var files = xnat.experiment(o.get("experiment"))
                        .scan("1")
                        .resource("DICOM")
                        .files()
                        .collectList()
                        .block();
                var res = xnat.experiment(o.get("experiment")).scan("1").resource("DICOM");
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (var f : files) {
                        res.file(f.path())
                                .download(Path.of(o.get("dest"), f.path()), f)
                                .block();
                    }
                    long t1 = System.nanoTime();
                    for (var f : files) {
                        res.file(f.path()).content().count().block();
                    }
                    long t2 = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: %.2f ms/file to disk, %.2f ms/file to memory%n",
                            round,
                            (t1 - t0) / 1e6 / files.size(),
                            (t2 - t1) / 1e6 / files.size());
                }
                return;
            }
            int repeat = Integer.parseInt(o.getOrDefault("repeat", "1"));
            for (int round = 1; round < repeat; round++) {
                // warm-up rounds (steady-state measurements): each into its own folder or project, not reported
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                if (args[0].equals("upload")) {
                    var warmup = xnat.project(o.get("project") + "_warmup" + round);
                    warmup.create().block();
                    bulk.uploadAll(Path.of(o.get("dir")), warmup, Selection.all())
                            .run()
                            .block();
                } else {
                    bulk.downloadProject(
                                    xnat.project(o.get("project")),
                                    Path.of(o.get("dest") + "-warmup" + round),
                                    Selection.all())
                            .run()
                            .block();
                }
                System.err.printf(
                        Locale.ROOT,
                        "warm-up round %d: %.2f s, %.2f s of CPU%n",
                        round,
                        (System.nanoTime() - t0) / 1e9,
                        (cpuNanos() - c0) / 1e9);
            }
            TransferReport r;
            long start = System.nanoTime();
            long cpuStart = cpuNanos();
            java.util.function.Consumer<TransferEvent> onEvent = e -> {
                if (trace && !(e instanceof TransferEvent.Bytes)) {
                    // --trace true: every event but Bytes, with seconds since the JVM started
                    System.err.printf(Locale.ROOT, "%8.3f %s%n", sinceStart(System.currentTimeMillis(), jvmStart), e);
                }
                if (e instanceof TransferEvent.Started) {
                    firstStartedAt.compareAndSet(-1, System.currentTimeMillis());
                } else if (e instanceof TransferEvent.Bytes
                        || e instanceof TransferEvent.Completed
                        || e.getClass().getSimpleName().equals("Archived")) {
                    // (Archived: a whole archive arrived, in engines that have archive mode)
                    firstByteAt.compareAndSet(-1, System.currentTimeMillis());
                }
                if (e instanceof TransferEvent.Planned p) {
                    plannedAt.set(System.currentTimeMillis());
                    System.err.printf(
                            Locale.ROOT, "planned %d files in %.2f s%n", p.files(), (System.nanoTime() - start) / 1e9);
                }
            };
            switch (args[0]) {
                case "download" ->
                    r = bulk.downloadProject(xnat.project(o.get("project")), Path.of(o.get("dest")), Selection.all())
                            .events()
                            .doOnNext(onEvent)
                            .ofType(TransferEvent.Finished.class)
                            .blockLast()
                            .report();
                case "upload" -> {
                    xnat.project(o.get("project")).create().block();
                    // every session folder under --dir as one job (several sessions at once)
                    r = bulk.uploadAll(Path.of(o.get("dir")), xnat.project(o.get("project")), Selection.all())
                            .events()
                            .doOnNext(onEvent)
                            .ofType(TransferEvent.Finished.class)
                            .blockLast()
                            .report();
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(
                    Locale.ROOT,
                    "RESULT files=%d bytes=%d seconds=%.3f failed=%d planned_s=%.3f first_started_s=%.3f"
                            + " first_byte_s=%.3f cpu_s=%.3f ignored=%s",
                    r.files(),
                    r.bytes(),
                    seconds,
                    r.failed().size(),
                    sinceStart(plannedAt.get(), jvmStart),
                    sinceStart(firstStartedAt.get(), jvmStart),
                    sinceStart(firstByteAt.get(), jvmStart),
                    (cpuNanos() - cpuStart) / 1e9,
                    ignored.isEmpty() ? "-" : String.join(",", ignored)));
            if (!r.succeeded()) {
                r.failed().forEach(f -> System.err.println("FAILED " + f.item() + ": " + f.cause()));
                System.exit(1);
            }
        }
    }

    /**
     * Connections for the engine's concurrency: at least 8, and as many as an adaptive engine may grow to (its
     * {@code maxConcurrency()}, where the API has it), since the pool caps how many files move at once.
     */
    private static int poolSize(TransferOptions options, int concurrency) throws Exception {
        int pool = Math.max(concurrency, 8);
        try {
            pool = Math.max(pool, (Integer)
                    TransferOptions.class.getMethod("maxConcurrency").invoke(options));
        } catch (NoSuchMethodException e) {
            // an engine without adaptive growth: the requested concurrency is all it uses
        }
        return pool;
    }

    /** The CPU time (user and system, all threads) this JVM has used, in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double sinceStart(long epochMillis, long jvmStart) {
        return epochMillis < 0 ? -1 : (epochMillis - jvmStart) / 1e3;
    }

    /**
     * {@code options.name(value)} if TransferOptions has such a one-argument method (value converted to its
     * parameter type), else null.
     */
    static TransferOptions apply(TransferOptions options, String name, String value) throws Exception {
        for (Method m : TransferOptions.class.getMethods()) {
            if (!m.getName().equals(name)
                    || m.getParameterCount() != 1
                    || Modifier.isStatic(m.getModifiers())
                    || !TransferOptions.class.isAssignableFrom(m.getReturnType())) {
                continue;
            }
            Class<?> t = m.getParameterTypes()[0];
            Object arg;
            if (t == int.class || t == Integer.class) {
                arg = Integer.parseInt(value);
            } else if (t == long.class || t == Long.class) {
                arg = parseSize(value);
            } else if (t == boolean.class || t == Boolean.class) {
                arg = Boolean.parseBoolean(value);
            } else if (t == Duration.class) {
                arg = Duration.parse(value.startsWith("P") ? value : "PT" + value.toUpperCase(Locale.ROOT));
            } else if (t == String.class) {
                arg = value;
            } else if (t.isEnum()) {
                arg = enumValue(t, value);
            } else {
                continue;
            }
            return (TransferOptions) m.invoke(options, arg);
        }
        return null;
    }

    private static long parseSize(String v) {
        String u = v.toUpperCase(Locale.ROOT);
        long mult =
                u.endsWith("K") ? 1024L : u.endsWith("M") ? 1024L * 1024 : u.endsWith("G") ? 1024L * 1024 * 1024 : 1;
        return Long.parseLong(mult == 1 ? u : u.substring(0, u.length() - 1)) * mult;
    }

    private static Object enumValue(Class<?> type, String value) {
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equalsIgnoreCase(value.replace('-', '_'))) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                value + " is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
}
