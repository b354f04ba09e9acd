package io.github.xnatreactive.bulk;

import io.github.xnatreactive.bulk.internal.IngestPlanner;
import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatServerException;
import io.github.xnatreactive.core.XnatTransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Ingests a directory tree of DICOM files through XNAT's import service: reads every file's header on the client,
 * groups the files by study, and sends one import per study (zipped on the fly), several studies at a time. The
 * {@link IngestReport} accounts for every file. Get one from {@link BulkClient#ingest(Path, ImportOptions)}.
 *
 * <pre>{@code
 * IngestReport report = BulkClient.of(xnat)
 *         .ingest(incoming, ImportOptions.toPrearchive("LAB"))
 *         .concurrency(4)
 *         .run()
 *         .block();
 * long sent = report.filesImported(); // every other file is in report.rejected() or a failed study
 * }</pre>
 *
 * <p>A study whose import fails on the way (no answer, a 5xx) is sent again, twice at most, when that is safe: to
 * the prearchive, where XNAT files a repeated study into the same session. An import to the archive is not
 * repeated, since a first attempt that did arrive would make the second one conflict.
 */
public final class Ingest {
    private static final int ATTEMPTS = 3;

    private final XnatClient client;
    private final Path dir;
    private final ImportOptions options;
    private final int concurrency;

    Ingest(XnatClient client, Path dir, ImportOptions options, int concurrency) {
        this.client = Objects.requireNonNull(client);
        this.dir = Objects.requireNonNull(dir);
        this.options = Objects.requireNonNull(options);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
        this.concurrency = concurrency;
    }

    /**
     * Sets how many studies are imported at once.
     *
     * @param n 1 or more
     * @return a new ingest
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public Ingest concurrency(int n) {
        return new Ingest(client, dir, options, n);
    }

    /**
     * Reads the headers and groups the files, sending nothing: a dry run.
     *
     * @return the report of what would be imported and what would be set aside
     */
    public Mono<IngestReport> plan() {
        return IngestPlanner.plan(dir)
                .map(p -> new IngestReport(
                        p.studies().stream()
                                .map(s -> new IngestReport.Study(
                                        s.studyInstanceUid(), s.files(), s.bytes(), List.of(), null, 0))
                                .toList(),
                        rejected(p),
                        true));
    }

    /**
     * Reads the headers, then imports each study. A failed study does not stop the others.
     *
     * @return the report; it completes when every study has been imported or has failed
     */
    public Mono<IngestReport> run() {
        return IngestPlanner.plan(dir).flatMap(p -> Flux.fromIterable(p.studies())
                .flatMapSequential(this::send, concurrency)
                .collectList()
                .map(studies -> new IngestReport(studies, rejected(p), false)));
    }

    private static List<IngestReport.Rejected> rejected(IngestPlanner.Plan p) {
        return p.rejected().stream()
                .map(r -> new IngestReport.Rejected(r.file(), r.reason()))
                .toList();
    }

    private Mono<IngestReport.Study> send(IngestPlanner.Study s) {
        AtomicInteger attempts = new AtomicInteger();
        boolean repeatable = options.destination() != ImportOptions.Destination.ARCHIVE;
        return Mono.defer(() -> {
                    attempts.incrementAndGet();
                    return client.importer().files(Flux.fromIterable(s.files()), options);
                })
                .retryWhen(Retry.backoff(ATTEMPTS - 1, Duration.ofSeconds(1))
                        .filter(e -> repeatable && retryable(e))
                        .scheduler(client.scheduler())
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .map(r -> new IngestReport.Study(
                        s.studyInstanceUid(), s.files(), s.bytes(), r.uris(), null, attempts.get()))
                .onErrorResume(e -> Mono.just(new IngestReport.Study(
                        s.studyInstanceUid(), s.files(), s.bytes(), List.of(), e, attempts.get())));
    }

    private static boolean retryable(Throwable e) {
        return e instanceof XnatTransportException || e instanceof XnatServerException;
    }
}
