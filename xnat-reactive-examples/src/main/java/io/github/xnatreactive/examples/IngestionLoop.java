package io.github.xnatreactive.examples;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.XnatClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Watches an inbox folder and uploads each session folder that appears in it to a project. A scanner or a copy
 * job drops session folders in the layout {@code DownloadSession} writes and writes {@code xnat-session.json}
 * last: a folder is ready when that file is there. Each folder is uploaded once per run; a failed upload is logged
 * and the loop goes on. Uploads are syncs, so a restart re-sends nothing that is already on the server.
 *
 * <p>Run: {@code XNAT_HOST=... XNAT_USER=... XNAT_PASS=... java -cp ...
 * io.github.xnatreactive.examples.IngestionLoop INBOX_DIR PROJECT}. Ctrl-C stops it and cancels the upload in
 * flight; the next run sends only what is missing.
 */
public final class IngestionLoop {
    private static final Logger log = LoggerFactory.getLogger(IngestionLoop.class);
    static final String READY_MARKER = "xnat-session.json";

    /** What became of one session folder: its report, or the error that stopped its upload. */
    public record Outcome(Path folder, TransferReport report, Throwable error) {
        public boolean succeeded() {
            return error == null && report.succeeded();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: IngestionLoop INBOX_DIR PROJECT");
            System.exit(2);
        }
        Sinks.Empty<Void> stop = Sinks.empty();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.tryEmitEmpty();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (XnatClient xnat = XnatClient.builder().fromEnvironment().build()) {
            ingest(xnat, Path.of(args[0]), args[1], Duration.ofSeconds(5))
                    .takeUntilOther(stop.asMono())
                    .blockLast();
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Looks at {@code inbox} now and then every {@code every}, and uploads each new ready session folder into
     * {@code project}, one folder at a time. Never completes by itself; cancel the subscription to stop it, which
     * also cancels the upload in flight.
     */
    public static Flux<Outcome> ingest(XnatClient xnat, Path inbox, String project, Duration every) {
        return ingest(xnat, inbox, project, Flux.interval(Duration.ZERO, every));
    }

    /**
     * Looks at {@code inbox} each time {@code scans} emits (a timer, or file-system events from a WatchService).
     * Signals that come while a scan and its uploads run are folded into one more scan after them.
     */
    public static Flux<Outcome> ingest(XnatClient xnat, Path inbox, String project, Publisher<?> scans) {
        BulkClient bulk = BulkClient.of(xnat);
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        return Flux.from(scans)
                .onBackpressureLatest()
                .concatMap(
                        scan -> readyFolders(inbox)
                                .filter(seen::add)
                                .concatMap(folder -> upload(bulk, xnat, folder, project)),
                        0);
    }

    private static Mono<Outcome> upload(BulkClient bulk, XnatClient xnat, Path folder, String project) {
        log.info("Uploading {} into {}", folder, project);
        return bulk.upload(folder, xnat.project(project), null, null, null, Selection.all())
                .run()
                .map(report -> new Outcome(folder, report, null))
                .onErrorResume(e -> Mono.just(new Outcome(folder, null, e)))
                .doOnNext(IngestionLoop::logOutcome);
    }

    private static void logOutcome(Outcome o) {
        if (o.error() != null) {
            log.error("Upload of {} failed: {}", o.folder(), o.error().toString());
        } else if (!o.report().succeeded()) {
            log.error(
                    "Upload of {} finished with failed files: {}",
                    o.folder(),
                    o.report().failed());
        } else {
            log.info("Uploaded {}: {}", o.folder(), o.report().summary());
        }
    }

    /** The inbox's sub-folders that hold the ready marker, in name order (listed off the event loop). */
    private static Flux<Path> readyFolders(Path inbox) {
        return Mono.fromCallable(() -> {
                    try (Stream<Path> children = Files.list(inbox)) {
                        List<Path> ready = children.filter(d -> Files.isRegularFile(d.resolve(READY_MARKER)))
                                .sorted(Comparator.naturalOrder())
                                .toList();
                        return ready;
                    } catch (IOException e) {
                        log.warn("Cannot list {}: {}", inbox, e.toString());
                        return List.<Path>of();
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(l -> l);
    }

    private IngestionLoop() {}
}
