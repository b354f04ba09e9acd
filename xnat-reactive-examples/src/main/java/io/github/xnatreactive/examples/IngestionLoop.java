package io.github.xnatreactive.examples;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.IngestReport;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.ImportOptions;
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
 * Watches an inbox folder and brings each folder that appears in it into a project, in one of two ways:
 *
 * <ul>
 *   <li>DICOM (the way scanners' files reach XNAT): a copy job drops a folder of DICOM files (any tree) and writes
 *       a file named {@code READY} last. Each ready folder goes through XNAT's import service, one import per study
 *       ({@code BulkClient.ingest}): XNAT reads the headers and builds the session, its scans and catalogs, in the
 *       archive or the prearchive as the {@link ImportOptions} say. Files that are not DICOM are named as rejected.
 *   <li>Session folders in the layout {@code DownloadSession} writes, ready when {@code xnat-session.json} is there:
 *       uploaded as syncs, so a restart re-sends nothing that is already on the server.
 * </ul>
 *
 * Each folder is handled once per run; a failure is logged and the loop goes on.
 *
 * <p>Run: {@code XNAT_HOST=... XNAT_USER=... XNAT_PASS=... java -cp ...
 * io.github.xnatreactive.examples.IngestionLoop INBOX_DIR PROJECT [--dicom]}. Ctrl-C stops it and cancels the
 * transfer in flight.
 */
public final class IngestionLoop {
    private static final Logger log = LoggerFactory.getLogger(IngestionLoop.class);
    static final String READY_MARKER = "xnat-session.json";
    /** What a copy job writes last into a folder of DICOM files: the folder is complete. */
    static final String DICOM_READY_MARKER = "READY";

    /** What became of one session folder: its report, or the error that stopped its upload. */
    public record Outcome(Path folder, TransferReport report, Throwable error) {
        public boolean succeeded() {
            return error == null && report.succeeded();
        }
    }

    /** What became of one folder of DICOM files: the import's report (every file named), or the error. */
    public record StudyOutcome(Path folder, IngestReport report, Throwable error) {
        public boolean succeeded() {
            return error == null && report.ok();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        boolean dicom = args.length == 3 && args[2].equals("--dicom");
        if (args.length != 2 && !dicom) {
            System.err.println("usage: IngestionLoop INBOX_DIR PROJECT [--dicom]");
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
            Flux<?> loop = dicom
                    ? importDicom(
                            xnat,
                            Path.of(args[0]),
                            ImportOptions.toArchive(args[1]),
                            Flux.interval(Duration.ZERO, Duration.ofSeconds(5)))
                    : ingest(xnat, Path.of(args[0]), args[1], Duration.ofSeconds(5));
            loop.takeUntilOther(stop.asMono()).blockLast();
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
                        scan -> readyFolders(inbox, READY_MARKER)
                                .filter(seen::add)
                                .concatMap(folder -> upload(bulk, xnat, folder, project)),
                        0);
    }

    /**
     * Looks at {@code inbox} each time {@code scans} emits and imports each new folder that holds a {@code READY}
     * file through XNAT's import service with {@code options} (one import per study found in it, studies in
     * parallel). Never completes by itself; cancel the subscription to stop it.
     */
    public static Flux<StudyOutcome> importDicom(
            XnatClient xnat, Path inbox, ImportOptions options, Publisher<?> scans) {
        BulkClient bulk = BulkClient.of(xnat);
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        return Flux.from(scans)
                .onBackpressureLatest()
                .concatMap(
                        scan -> readyFolders(inbox, DICOM_READY_MARKER)
                                .filter(seen::add)
                                .concatMap(folder -> {
                                    log.info("Importing the DICOM files of {}", folder);
                                    return bulk.ingest(folder, options)
                                            .run()
                                            .map(r -> new StudyOutcome(folder, r, null))
                                            .onErrorResume(e -> Mono.just(new StudyOutcome(folder, null, e)))
                                            .doOnNext(IngestionLoop::logOutcome);
                                }),
                        0);
    }

    private static void logOutcome(StudyOutcome o) {
        if (o.error() != null) {
            log.error("Import of {} failed: {}", o.folder(), o.error().toString());
        } else {
            log.info(
                    "Imported {}: {} of {} files in {} studies, {} not DICOM",
                    o.folder(),
                    o.report().filesImported(),
                    o.report().filesTotal(),
                    o.report().studies().size(),
                    o.report().rejected().size());
        }
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

    /** The inbox's sub-folders that hold {@code marker}, in name order (listed off the event loop). */
    private static Flux<Path> readyFolders(Path inbox, String marker) {
        return Mono.fromCallable(() -> {
                    try (Stream<Path> children = Files.list(inbox)) {
                        List<Path> ready = children.filter(d -> Files.isRegularFile(d.resolve(marker)))
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
