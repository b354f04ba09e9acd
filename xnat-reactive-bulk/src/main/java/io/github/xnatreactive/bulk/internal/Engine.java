package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferFailedFastException;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatTransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Runs a plan as it streams: each group (one resource) is checked against what is already in place as soon as it
 * is planned, in one worker task, and its files move right away with bounded (optionally adaptive) concurrency,
 * each retried on its own; groups of small files may move as one archive first. A group is released when it
 * finishes, so memory is bounded by the groups in flight, not by the job. All progress goes to one event sink; the
 * job's outcome is a {@link TransferReport}.
 */
public final class Engine {
    /** {@link io.github.xnatreactive.bulk.BulkClient#awaitLocalWrites}. */
    public static boolean awaitLocalWrites(long millis) throws InterruptedException {
        return ShutdownGuard.JVM.awaitIdle(millis);
    }

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Emit a Bytes event at most every this many bytes per file. */
    private static final long BYTES_EVENT_STEP = 1 << 20;
    /** Groups checked ahead of the transfers. */
    private static final int CHECK_AHEAD = 2;
    /**
     * A group whose archive moves exactly the files it is given (an upload's zip) is cut into parts of at most this
     * many files and bytes, which are checked (hashed) and sent concurrently: one zip of a large resource would
     * hash, send and be extracted by the server on one thread at a time.
     */
    static final int PART_FILES = 256;

    static final long PART_BYTES = 64L << 20;

    private final TransferOptions options;
    private final reactor.core.scheduler.Scheduler scheduler;
    /** The engine's attempts of a file, decided by the SDK's one retry policy (the client's are off for them). */
    private final RetryPolicy retry;

    private final int concurrency;
    private final int maxConcurrency;
    private final int groupsInFlight;
    private final AtomicLong liveWorks = new AtomicLong();
    private final AtomicLong peakLiveWorks = new AtomicLong();

    /** An engine whose backoff waits and latency clock run on {@code scheduler} (the client's: virtual in tests). */
    public Engine(TransferOptions options, int poolSize, reactor.core.scheduler.Scheduler scheduler) {
        this.options = options;
        this.scheduler = scheduler;
        this.retry = RetryPolicy.defaults()
                .maxAttempts(options.maxAttempts())
                .initialBackoff(options.initialBackoff())
                .maxBackoff(options.maxBackoff());
        this.concurrency = Math.min(options.concurrency(), poolSize);
        this.maxConcurrency =
                options.adaptive() ? Math.max(concurrency, Math.min(options.maxConcurrency(), poolSize)) : concurrency;
        // enough groups at once to keep every permit busy even when groups are small
        this.groupsInFlight = Math.max(4, Math.min(128, 2 * maxConcurrency));
    }

    /** Files in flight to begin with (the requested concurrency, capped by the connection pool). */
    public int concurrency() {
        return concurrency;
    }

    /** The most work items (files) held at once by any run of this engine so far: a bound on its memory. */
    public long peakLiveWorks() {
        return peakLiveWorks.get();
    }

    /** The events of running the plan; the last is {@link TransferEvent.Finished}. Cancel to stop the job. */
    public Flux<TransferEvent> run(Flux<Group> plan) {
        return Flux.create(
                sink -> {
                    Job job = new Job(sink);
                    sink.onDispose(job.execute(plan)
                            // the subscriber's context (a trace, say) reaches every request of the job
                            .contextWrite(sink.contextView())
                            .subscribe(
                                    report -> {
                                        sink.next(new TransferEvent.Finished(report));
                                        sink.complete();
                                    },
                                    sink::error));
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * The parts of a group whose archive moves a part of it ({@link Group.Archive#partial()}) when it would move as
     * an archive and is larger than {@link #PART_FILES} files or {@link #PART_BYTES} bytes: parts of even size that
     * share the group's preparation (run once) and each move as a zip of their own. Any other group, whole.
     */
    List<Group> parts(Group g) {
        int n = g.works().size();
        if (g.archive() == null || !g.archive().partial() || n < 2 * TransferOptions.ARCHIVE_MIN_FILES) {
            return List.of(g);
        }
        long bytes = bytes(g.works());
        long parts = Math.max((n + PART_FILES - 1) / PART_FILES, (bytes + PART_BYTES - 1) / PART_BYTES);
        parts = Math.min(parts, n / TransferOptions.ARCHIVE_MIN_FILES);
        if (parts <= 1 || !options.archives(n, bytes)) {
            return List.of(g);
        }
        Mono<Void> prepare = g.prepare().cache();
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            List<Work> part = g.works().subList((int) (i * n / parts), (int) ((i + 1) * n / parts));
            out.add(new Group(g.name(), part, prepare, g.verify(), g.archive()));
        }
        return out;
    }

    /** The bytes of these works, as far as their sizes are known. */
    private static long bytes(List<Work> works) {
        long n = 0;
        for (Work w : works) {
            n += Math.max(0, w.item().size());
        }
        return n;
    }

    /** Which items are already in place, without moving, creating or writing anything (a dry run). */
    public Flux<Map.Entry<TransferItem, Boolean>> check(Flux<Group> plan) {
        return plan.flatMapSequential(g -> checkGroup(g, null), CHECK_AHEAD, 1).flatMapIterable(c -> {
            List<Map.Entry<TransferItem, Boolean>> out = new ArrayList<>();
            for (int i = 0; i < c.group.works().size(); i++) {
                out.add(Map.entry(c.group.works().get(i).item(), c.upToDate[i]));
            }
            return out;
        });
    }

    /**
     * The group's local checks, all in one worker task. With {@code keep}, an upload's files are read whole while
     * the budget has room, and each keeps the bytes its check hashed, for the group's archive to send.
     */
    private static Mono<Checked> checkGroup(Group g, LocalFiles.Budget keep) {
        if (g.works().isEmpty()) {
            return Mono.just(new Checked(g, new boolean[0]));
        }
        return Mono.fromCallable(() -> {
                    List<Work> works = g.works();
                    boolean[] up = new boolean[works.size()];
                    // with SIMD lanes, the local files to hash (an upload's, and a download's targets already there
                    // with the listed size) are read all together, so that they are hashed side by side; without,
                    // each work checks itself (a download's target then gets its MD5 only)
                    int lanes = Md5Lanes.lanes();
                    List<Integer> hashed = new ArrayList<>();
                    List<Path> files = new ArrayList<>();
                    // a download's target cannot be there when its folder is not (a first download: every one):
                    // one stat per folder instead of one per file
                    Map<Path, Boolean> folders = new HashMap<>();
                    for (int i = 0; i < up.length; i++) {
                        Work w = works.get(i);
                        if (w instanceof Planners.DownloadWork d
                                && d.target().getParent() != null
                                && !folders.computeIfAbsent(d.target().getParent(), Files::isDirectory)) {
                            continue; // not up to date
                        }
                        if (w instanceof Planners.UploadWork u && (lanes > 0 || keep != null)) {
                            hashed.add(i);
                            files.add(u.local);
                        } else if (lanes == 0) {
                            up[i] = w.upToDate();
                        } else if (w instanceof Planners.DownloadWork d) {
                            if (d.candidate()) {
                                hashed.add(i);
                                files.add(d.target());
                            }
                        } else {
                            up[i] = w.upToDate();
                        }
                    }
                    LocalFiles.Stat[] stats = LocalFiles.statAll(files, lanes, keep);
                    for (int k = 0; k < stats.length; k++) {
                        int i = hashed.get(k);
                        if (works.get(i) instanceof Planners.UploadWork u) {
                            up[i] = u.upToDate(stats[k]);
                            if (up[i] && keep != null) {
                                u.dropHeld(keep); // in place: nothing to send
                            }
                        } else {
                            up[i] = ((Planners.DownloadWork) works.get(i)).matches(stats[k]);
                        }
                    }
                    return new Checked(g, up);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private final class Job {
        final FluxSink<TransferEvent> sink;
        final AdaptiveLimiter limiter;
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final AtomicLong plannedFiles = new AtomicLong();
        final AtomicLong plannedBytes = new AtomicLong();
        final AtomicLong plannedUpToDate = new AtomicLong();
        final List<TransferReport.FailedItem> failed = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        final long start = System.nanoTime();
        /** The stall deadline of every attempt in the job; null when it is off. */
        final StallWatch stalls;
        /** The bytes of checked files the job keeps to send them from memory ({@link #keeps}). */
        final LocalFiles.Budget held = LocalFiles.Budget.forJob();

        Job(FluxSink<TransferEvent> sink) {
            this.sink = sink;
            this.stalls = options.stallWindow() == null
                    ? null
                    : new StallWatch(options.stallWindow(), options.stallMinBytes(), scheduler);
            this.limiter = AdaptiveLimiter.forTransfers(
                    concurrency, maxConcurrency, options.adaptive(), () -> scheduler.now(TimeUnit.NANOSECONDS));
        }

        Mono<TransferReport> execute(Flux<Group> plan) {
            return plan.concatMapIterable(Engine.this::parts)
                    .doOnNext(this::admitted)
                    .flatMapSequential(g -> checkGroup(g, keeps(g) ? held : null), CHECK_AHEAD, 1)
                    .doOnNext(this::listed)
                    .doOnComplete(() -> sink.next(
                            new TransferEvent.Planned(plannedFiles.get(), plannedBytes.get(), plannedUpToDate.get())))
                    .flatMap(this::runGroup, groupsInFlight, 1)
                    .then(Mono.fromCallable(this::report))
                    .flatMap(r -> {
                        Throwable f = firstFailure.get();
                        return options.failFast() && f != null
                                ? Mono.error(new TransferFailedFastException(r, f))
                                : Mono.just(r);
                    });
        }

        void admitted(Group g) {
            long live = liveWorks.addAndGet(g.works().size());
            peakLiveWorks.accumulateAndGet(live, Math::max);
        }

        void listed(Checked c) {
            long n = c.upToDate.length;
            if (n == 0) {
                return;
            }
            long b = 0;
            long up = 0;
            for (int i = 0; i < n; i++) {
                b += Math.max(0, c.group.works().get(i).item().size());
                up += c.upToDate[i] ? 1 : 0;
            }
            plannedFiles.addAndGet(n);
            plannedBytes.addAndGet(b);
            plannedUpToDate.addAndGet(up);
            sink.next(new TransferEvent.Listed(c.group.name(), n, b, up));
        }

        TransferReport report() {
            return new TransferReport(
                    files.get(),
                    bytes.get(),
                    skipped.get(),
                    retried.get(),
                    failed,
                    Duration.ofNanos(System.nanoTime() - start));
        }

        Mono<Void> runGroup(Checked c) {
            Group g = c.group;
            List<Work> pending = new ArrayList<>();
            for (int i = 0; i < c.upToDate.length; i++) {
                Work w = g.works().get(i);
                if (c.upToDate[i]) {
                    skipped.incrementAndGet();
                    sink.next(new TransferEvent.Skipped(w.item()));
                } else {
                    pending.add(w);
                }
            }
            if (pending.isEmpty() && !g.works().isEmpty()) {
                return released(g, Mono.empty());
            }
            Mono<Void> run = g.prepare()
                    .then(Mono.defer(() -> archive(g, pending)))
                    .flatMap(rest -> Flux.fromIterable(rest)
                            .flatMap(this::transfer, 1024)
                            .collectList()
                            .flatMap(outcomes -> finish(g, outcomes)))
                    .onErrorResume(e -> {
                        // the step before the files (creating the session, the scan...) failed: so does each file;
                        // a step without files (writing a session's metadata) is reported as a failed item itself
                        if (pending.isEmpty()) {
                            failed(new TransferItem(g.name(), g.name(), -1, ""), e);
                        }
                        pending.forEach(w -> report(new Outcome(w, 0, null), e));
                        return Mono.empty();
                    });
            return released(g, run);
        }

        Mono<Void> released(Group g, Mono<Void> run) {
            return run.doFinally(s -> {
                liveWorks.addAndGet(-g.works().size());
                for (Work w : g.works()) {
                    if (w instanceof Planners.UploadWork u) {
                        u.dropHeld(held); // the group is over: what its check kept goes (nothing when it kept none)
                    }
                }
            });
        }

        /**
         * Whether the group's check keeps its files' bytes: an upload that moves as an archive (what its files
         * would be sent from), whose files are then read once instead of twice.
         */
        boolean keeps(Group g) {
            if (g.archive() == null
                    || g.works().isEmpty()
                    || !options.archives(g.works().size(), bytes(g.works()))) {
                return false;
            }
            for (Work w : g.works()) {
                if (!(w instanceof Planners.UploadWork)) {
                    return false;
                }
            }
            return true;
        }

        /** Moves what it can of {@code pending} as one archive; the files still to move file by file. */
        Mono<List<Work>> archive(Group g, List<Work> pending) {
            if (g.archive() == null || !options.archives(pending.size(), bytes(pending))) {
                return Mono.just(pending);
            }
            Set<Work> done = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
            return limiter.run(Mono.defer(() -> {
                        if (options.failFast() && firstFailure.get() != null) {
                            return Mono.error(new CancelledByFailFast());
                        }
                        return g.archive()
                                .run(pending, w -> {
                                    if (done.add(w)) {
                                        long size = Math.max(0, w.item().size());
                                        sink.next(new TransferEvent.Started(w.item()));
                                        sink.next(new TransferEvent.Bytes(w.item(), size));
                                        report(new Outcome(w, size, null), null);
                                    }
                                })
                                .doOnSuccess(v -> limiter.success())
                                .doOnError(e -> {
                                    if (isPressure(e)) {
                                        limiter.pressure();
                                    }
                                })
                                // an archive is not retried: what it did not deliver goes file by file
                                .contextWrite(XnatClient.retryPolicy(RetryPolicy.none()));
                    }))
                    .then(Mono.fromCallable(() -> rest(pending, done, null, g)))
                    .onErrorResume(e -> Mono.fromCallable(() -> rest(pending, done, e, g)));
        }

        List<Work> rest(List<Work> pending, Set<Work> done, Throwable cause, Group g) {
            List<Work> rest = new ArrayList<>();
            long archived = 0;
            for (Work w : pending) {
                if (!done.contains(w)) {
                    rest.add(w);
                } else {
                    archived += Math.max(0, w.item().size());
                }
            }
            if (!done.isEmpty()) {
                sink.next(new TransferEvent.Archived(g.name(), done.size(), archived));
            }
            if (cause instanceof CancelledByFailFast) {
                return List.of();
            }
            if (!rest.isEmpty()) {
                Throwable why = cause != null
                        ? cause
                        : new XnatIntegrityException(
                                "The archive of " + g.name() + " did not deliver " + rest.size() + " file(s) verified",
                                "",
                                "");
                log.debug("archive of {}: {} file(s) move one by one after {}", g.name(), rest.size(), why.toString());
                sink.next(new TransferEvent.ArchiveFallback(g.name(), rest.size(), why));
            }
            return rest;
        }

        /** One file with its own retries; never fails (unless fail-fast), reports an outcome instead. */
        Mono<Outcome> transfer(Work w) {
            TransferItem item = w.item();
            AtomicLong moved = new AtomicLong();
            AtomicInteger attempts = new AtomicInteger(1);
            return limiter.run(Mono.defer(() -> {
                                if (options.failFast() && firstFailure.get() != null) {
                                    return Mono.error(new CancelledByFailFast());
                                }
                                sink.next(new TransferEvent.Started(item));
                                moved.set(0);
                                long[] pending = {0};
                                long began = scheduler.now(TimeUnit.NANOSECONDS);
                                Mono<Void> attempt = w.transfer(n -> {
                                            moved.addAndGet(n);
                                            synchronized (pending) {
                                                pending[0] += n;
                                                // more than a whole small body: never on the event loop that
                                                // counts a small body's bytes as they arrive
                                                if (pending[0] > BYTES_EVENT_STEP) {
                                                    sink.next(new TransferEvent.Bytes(item, pending[0]));
                                                    pending[0] = 0;
                                                }
                                            }
                                        })
                                        .doOnSuccess(v -> {
                                            synchronized (pending) {
                                                if (pending[0] > 0) {
                                                    sink.next(new TransferEvent.Bytes(item, pending[0]));
                                                    pending[0] = 0;
                                                }
                                            }
                                            limiter.success(scheduler.now(TimeUnit.NANOSECONDS) - began);
                                        })
                                        .doOnError(e -> {
                                            if (isPressure(e)) {
                                                limiter.pressure();
                                            }
                                        });
                                return w.reportsProgress() ? stallGuarded(attempt, moved, w) : attempt;
                            })
                            // the engine owns the attempts of a file: the client must not retry them on its own
                            .contextWrite(XnatClient.retryPolicy(RetryPolicy.none())))
                    // one retry decision for the SDK: the policy says whether and when a file is tried again
                    .retryWhen(Retry.from(signals -> signals.concatMap(rs -> {
                        Throwable e = rs.failure();
                        java.util.Optional<Duration> wait = retryable(w, e)
                                ? retry.delayBeforeRetry((int) rs.totalRetries() + 1, e)
                                : java.util.Optional.empty();
                        if (wait.isEmpty()) {
                            return Mono.<Long>error(e);
                        }
                        Duration delay = wait.get();
                        return Mono.<Long>create(sink -> {
                            // the wait is on the scheduler before anyone hears of the retry (as in the client's
                            // RetryStep), so that a test moving virtual time on at the event cannot pass it by
                            sink.onDispose(scheduler.schedule(
                                    () -> sink.success(0L), delay.toMillis(), TimeUnit.MILLISECONDS));
                            retried(item, attempts, e);
                        });
                    })))
                    // a verified file moved exactly its size, however many attempts were cut short on the way
                    .then(Mono.fromCallable(() -> new Outcome(w, item.size() >= 0 ? item.size() : moved.get(), null)))
                    .onErrorResume(e -> Mono.just(new Outcome(w, moved.get(), e)));
        }

        /**
         * The attempt, failed as stalled when it moves fewer than the stall deadline's bytes in one of its windows
         * (the job's {@link StallWatch} checks, on the scheduler, so virtual time drives it in tests); cancelling it
         * deletes what it wrote.
         */
        Mono<Void> stallGuarded(Mono<Void> attempt, AtomicLong moved, Work w) {
            if (stalls == null) {
                return attempt;
            }
            TransferItem item = w.item();
            long min = options.stallMinBytes();
            long windowMillis = options.stallWindow().toMillis();
            return stalls.guard(
                    attempt,
                    moved,
                    () -> new XnatTransportException(
                            w.method(),
                            item.source(),
                            new java.util.concurrent.TimeoutException("stalled: moved " + moved.get()
                                    + " bytes, fewer than " + min + " in the last " + windowMillis
                                    + " ms (TransferOptions.stallDeadline)")));
        }

        void retried(TransferItem item, AtomicInteger attempts, Throwable failure) {
            retried.incrementAndGet();
            log.debug("retrying {} after {}", item, failure.toString());
            sink.next(
                    new TransferEvent.Retried(item, attempts.getAndIncrement(), String.valueOf(failure.getMessage())));
        }

        /** Verifies a group against its target listing when asked, then reports each file. */
        Mono<Void> finish(Group g, List<Outcome> outcomes) {
            if (outcomes.isEmpty()) {
                return Mono.empty();
            }
            boolean anyMoved = outcomes.stream().anyMatch(o -> o.error == null);
            if (g.verify() == null || !anyMoved) {
                outcomes.forEach(o -> report(o, o.error));
                return Mono.empty();
            }
            return g.verify()
                    .doOnNext(digests -> {
                        for (Outcome o : outcomes) {
                            report(o, o.error != null ? o.error : Planners.mismatch(o.work, digests));
                        }
                    })
                    .onErrorResume(e -> {
                        outcomes.forEach(o -> report(
                                o,
                                o.error != null
                                        ? o.error
                                        : new XnatException(
                                                "Could not verify the target listing: " + e.getMessage(), e)));
                        return Mono.empty();
                    })
                    .then();
        }

        void report(Outcome o, Throwable error) {
            TransferItem item = o.work.item();
            if (error instanceof CancelledByFailFast) {
                return;
            }
            if (error == null) {
                files.incrementAndGet();
                bytes.addAndGet(o.bytes);
                sink.next(new TransferEvent.Completed(item, o.bytes));
            } else {
                failed(item, error);
            }
        }

        void failed(TransferItem item, Throwable error) {
            failed.add(new TransferReport.FailedItem(item, error));
            firstFailure.compareAndSet(null, error);
            log.debug("failed for good: {}", item, error);
            sink.next(new TransferEvent.Failed(item, error));
        }
    }

    private record Checked(Group group, boolean[] upToDate) {}

    private record Outcome(Work work, long bytes, Throwable error) {}

    private static final class CancelledByFailFast extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledByFailFast() {
            super("cancelled: another file failed and fail-fast is on", null, false, false);
        }
    }

    /** Whether another attempt of the whole file is safe and may succeed, as the retry policy decides. */
    boolean retryable(Work w, Throwable e) {
        return !(e instanceof CancelledByFailFast) && retry.retryable(w.method(), true, -1, e);
    }

    /** Whether the server pushes back (fewer files at once, then). */
    boolean isPressure(Throwable e) {
        return retry.isBackpressure(-1, e);
    }
}
