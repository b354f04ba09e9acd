package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferPlan;
import io.github.xnatreactive.bulk.TransferReport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.ObjectMapper;

/** Runs a transfer for a command: progress, report, exit code; or prints the plan of a dry run. */
final class Transfers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Transfers() {}

    static int run(Cli cli, OutputOptions out, Transfer transfer) {
        Reporter reporter = new Reporter(cli, out);
        reporter.start("listing what to transfer");
        // Ctrl-C or SIGTERM: cancel the transfer before the JVM goes, so that the files in flight delete their
        // temporary files (the next run removes what a kill -9 leaves)
        Sinks.One<Boolean> interrupted = Sinks.one();
        CountDownLatch ended = new CountDownLatch(1);
        Thread cancel = new Thread(
                () -> {
                    interrupted.tryEmitValue(true);
                    try {
                        ended.await(3, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "xnat-reactive-cancel-transfer");
        cli.interrupts.add(cancel);
        try {
            TransferEvent.Finished finished = transfer.events()
                    .takeUntilOther(interrupted.asMono())
                    .doOnNext(reporter::on)
                    .ofType(TransferEvent.Finished.class)
                    .blockLast();
            if (finished == null) {
                // a session's metadata file being written when the transfer was cancelled is renamed into place
                // before this says so (a JVM of its own waits at its exit; the daemon's, which stays, here)
                awaitLocalWrites();
                reporter.clear();
                cli.err.println("interrupted: the files in flight were cancelled and their partial copies removed");
                return Cli.INTERRUPTED;
            }
            TransferReport report = finished.report();
            reporter.finish(report);
            return report.succeeded() ? Cli.OK : Cli.FAILED_ITEMS;
        } finally {
            ended.countDown();
            cli.interrupts.remove(cancel); // when it is running, it waits for this
        }
    }

    private static void awaitLocalWrites() {
        try {
            io.github.xnatreactive.bulk.BulkClient.awaitLocalWrites(java.time.Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Prints what a transfer would do, the same way for download, upload and mirror: one line per session
     * ({@code PROJECT/SUBJECT/SESSION}, from {@code sessionOf} applied to an item) with the files and bytes to move
     * and the files already in place, then the totals. With {@code --json}, one object per session, then the plan.
     */
    static int dryRun(Cli cli, OutputOptions out, Transfer transfer, Function<TransferItem, String> sessionOf) {
        Reporter reporter = new Reporter(cli, out);
        reporter.start("listing what to transfer");
        TransferPlan plan = transfer.plan().block();
        reporter.clear();
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (TransferItem i : plan.toTransfer()) {
            long[] g = groups.computeIfAbsent(sessionOf.apply(i), k -> new long[3]);
            g[0]++;
            g[1] += Math.max(0, i.size());
        }
        for (TransferItem i : plan.upToDate()) {
            groups.computeIfAbsent(sessionOf.apply(i), k -> new long[3])[2]++;
        }
        if (out.json) {
            groups.forEach((k, g) -> cli.out.println(JSON.writeValueAsString(
                    Map.of("event", "session", "session", k, "files", g[0], "bytes", g[1], "upToDate", g[2]))));
            cli.out.println(JSON.writeValueAsString(Map.of(
                    "event",
                    "plan",
                    "files",
                    plan.toTransfer().size(),
                    "bytes",
                    plan.bytesToTransfer(),
                    "upToDate",
                    plan.upToDate().size())));
        } else {
            groups.forEach((k, g) -> cli.out.printf(
                    Locale.ROOT,
                    "%-60s %6d files %10s to transfer, %d already in place%n",
                    k,
                    g[0],
                    Reporter.bytes(g[1]),
                    g[2]));
            cli.out.println("dry run: " + plan.summary());
        }
        return Cli.OK;
    }

    /** The session of a local file under {@code root} laid out as download writes: {@code P/S/E}. */
    static Function<TransferItem, String> localSession(Path root, Function<TransferItem, String> side) {
        Path base = root.toAbsolutePath().normalize();
        return i -> {
            Path rel = base.relativize(Path.of(side.apply(i)).toAbsolutePath().normalize());
            return rel.getNameCount() >= 3 ? rel.subpath(0, 3).toString() : rel.toString();
        };
    }

    /** The session of a server path ({@code /data/projects/P/subjects/S/experiments/E/...}): {@code P/S/E}. */
    static Function<TransferItem, String> serverSession(Function<TransferItem, String> side) {
        return i -> sessionOfUri(side.apply(i));
    }

    static String sessionOfUri(String uri) {
        List<String> seg = List.of(uri.replaceFirst("^[a-z]+://[^/]*", "").split("/"));
        String project = after(seg, "projects");
        String subject = after(seg, "subjects");
        String experiment = after(seg, "experiments");
        if (project != null && subject != null && experiment != null) {
            return project + "/" + subject + "/" + experiment;
        }
        int r = uri.indexOf("/resources/");
        return r < 0 ? uri : uri.substring(0, r);
    }

    private static String after(List<String> seg, String collection) {
        int i = seg.indexOf(collection);
        return i < 0 || i + 1 >= seg.size() ? null : URLDecoder.decode(seg.get(i + 1), StandardCharsets.UTF_8);
    }
}
