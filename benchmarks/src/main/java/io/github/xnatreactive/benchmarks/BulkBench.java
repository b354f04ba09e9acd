package io.github.xnatreactive.benchmarks;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

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
 * Prints one line {@code RESULT files=.. bytes=.. seconds=.. failed=..} and exits 1 if any file failed.
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
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "8"));
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(o.get("server"))
                .credentials(Credentials.password(o.get("user"), o.get("password")))
                .maxConnections(Math.max(concurrency, 8))
                .build()) {
            BulkClient bulk = BulkClient.of(xnat, TransferOptions.defaults().concurrency(concurrency));
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
                // warm-up rounds (steady-state measurements): each into its own folder, not reported
                long t0 = System.nanoTime();
                bulk.downloadProject(
                                xnat.project(o.get("project")),
                                Path.of(o.get("dest") + "-warmup" + round),
                                Selection.all())
                        .run()
                        .block();
                System.err.printf(Locale.ROOT, "warm-up round %d: %.2f s%n", round, (System.nanoTime() - t0) / 1e9);
            }
            TransferReport r;
            long start = System.nanoTime();
            switch (args[0]) {
                case "download" ->
                    r = bulk.downloadProject(xnat.project(o.get("project")), Path.of(o.get("dest")), Selection.all())
                            .events()
                            .doOnNext(e -> {
                                if (e instanceof TransferEvent.Planned p) {
                                    System.err.printf(
                                            Locale.ROOT,
                                            "planned %d files in %.2f s%n",
                                            p.files(),
                                            (System.nanoTime() - start) / 1e9);
                                }
                            })
                            .ofType(TransferEvent.Finished.class)
                            .blockLast()
                            .report();
                case "upload" -> {
                    xnat.project(o.get("project")).create().block();
                    long files = 0;
                    long bytes = 0;
                    long skipped = 0;
                    int failed = 0;
                    try (Stream<Path> s = Files.walk(Path.of(o.get("dir")))) {
                        for (Path meta : s.filter(
                                        p -> p.getFileName().toString().equals("xnat-session.json"))
                                .toList()) {
                            // each session folder in turn; files inside a session move in parallel
                            TransferReport one = bulk.upload(
                                            meta.getParent(),
                                            xnat.project(o.get("project")),
                                            null,
                                            null,
                                            null,
                                            Selection.all())
                                    .run()
                                    .block();
                            files += one.files();
                            bytes += one.bytes();
                            skipped += one.skipped();
                            failed += one.failed().size();
                        }
                    }
                    r = new TransferReport(
                            files,
                            bytes,
                            skipped,
                            0,
                            java.util.List.of(),
                            java.time.Duration.ofNanos(System.nanoTime() - start));
                    if (failed > 0) {
                        System.err.println(failed + " files failed");
                        System.exit(1);
                    }
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(
                    Locale.ROOT,
                    "RESULT files=%d bytes=%d seconds=%.3f failed=%d",
                    r.files(),
                    r.bytes(),
                    seconds,
                    r.failed().size()));
            if (!r.succeeded()) {
                r.failed().forEach(f -> System.err.println("FAILED " + f.item() + ": " + f.cause()));
                System.exit(1);
            }
        }
    }
}
