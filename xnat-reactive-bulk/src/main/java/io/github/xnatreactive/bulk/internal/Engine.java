package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import io.github.xnatreactive.core.XnatHttpException;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a plan: checks what is already in place, moves the rest with bounded (optionally adaptive) concurrency,
 * retries each file on its own, verifies, and reports. All progress goes to one event sink; the job's outcome is a
 * {@link TransferReport}.
 */
public final class Engine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Emit a Bytes event at most every this many bytes per file. */
    private static final long BYTES_EVENT_STEP = 1 << 20;

    private final TransferOptions options;
    private final int concurrency;

    public Engine(TransferOptions options, int poolSize) {
        this.options = options;
        this.concurrency = Math.min(options.concurrency(), poolSize);
    }

    public int concurrency() {
        return concurrency;
    }

    /** The events of running the plan; the last is {@link TransferEvent.Finished}. Cancel to stop the job. */
    public Flux<TransferEvent> run(Mono<List<Group>> plan) {
        return Flux.create(
                sink -> {
                    Job job = new Job(sink);
                    sink.onDispose(job.execute(plan)
                            .subscribe(
                                    report -> {
                                        sink.next(new TransferEvent.Finished(report));
                                        sink.complete();
                                    },
                                    sink::error));
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    /** Which items are already in place, without moving anything (a dry run). */
    public Mono<List<Map.Entry<TransferItem, Boolean>>> check(Mono<List<Group>> plan) {
        return plan.flatMapMany(Flux::fromIterable)
                .flatMapIterable(Group::works)
                .flatMapSequential(w -> w.upToDate().map(u -> Map.entry(w.item(), u)), 4)
                .collectList();
    }

    /** Thrown (as the events' error) when fail-fast stops a job; carries the report so far. */
    public static final class FailFastException extends XnatException {
        private static final long serialVersionUID = 1L;
        private final transient TransferReport report;

        FailFastException(TransferReport report, Throwable cause) {
            super("Transfer stopped at the first failure (fail-fast): " + cause.getMessage(), cause);
            this.report = report;
        }

        public TransferReport report() {
            return report;
        }
    }

    private final class Job {
        final FluxSink<TransferEvent> sink;
        final AdaptiveLimiter limiter;
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final List<TransferReport.FailedItem> failed = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        final long start = System.nanoTime();

        Job(FluxSink<TransferEvent> sink) {
            this.sink = sink;
            this.limiter = new AdaptiveLimiter(concurrency, options.adaptive());
        }

        Mono<TransferReport> execute(Mono<List<Group>> plan) {
            return plan.flatMap(groups -> Flux.fromIterable(groups)
                            .flatMapIterable(g ->
                                    g.works().stream().map(w -> Map.entry(g, w)).toList())
                            .flatMapSequential(
                                    e -> e.getValue().upToDate().map(u -> new Checked(e.getKey(), e.getValue(), u)), 4)
                            .collectList()
                            .flatMap(checked -> {
                                long total = checked.size();
                                long totalBytes = checked.stream()
                                        .mapToLong(
                                                c -> Math.max(0, c.work.item().size()))
                                        .sum();
                                long upToDate =
                                        checked.stream().filter(c -> c.upToDate).count();
                                sink.next(new TransferEvent.Planned(total, totalBytes, upToDate));
                                // files by group (identity: two groups may hold equal works), in plan order
                                Map<Group, List<Checked>> byGroup = new java.util.IdentityHashMap<>();
                                for (Checked c : checked) {
                                    byGroup.computeIfAbsent(c.group, k -> new java.util.ArrayList<>())
                                            .add(c);
                                }
                                return Flux.fromIterable(groups)
                                        .flatMap(g -> runGroup(g, byGroup.getOrDefault(g, List.of())), 64)
                                        .then();
                            }))
                    .then(Mono.fromCallable(this::report))
                    .flatMap(r -> {
                        Throwable f = firstFailure.get();
                        return options.failFast() && f != null ? Mono.error(new FailFastException(r, f)) : Mono.just(r);
                    });
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

        Mono<Void> runGroup(Group g, List<Checked> mine) {
            return Flux.fromIterable(mine)
                    .flatMap(c -> c.upToDate ? skip(c.work) : transfer(c.work), 1024)
                    .collectList()
                    .flatMap(outcomes -> finish(g, outcomes));
        }

        Mono<Outcome> skip(Work w) {
            skipped.incrementAndGet();
            sink.next(new TransferEvent.Skipped(w.item()));
            return Mono.empty();
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
                                return w.transfer(n -> {
                                            moved.addAndGet(n);
                                            synchronized (pending) {
                                                pending[0] += n;
                                                if (pending[0] >= BYTES_EVENT_STEP) {
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
                                            limiter.success();
                                        })
                                        .doOnError(e -> {
                                            if (isPressure(e)) {
                                                limiter.pressure();
                                            }
                                        });
                            })
                            .contextWrite(XnatClient.onRetry(e -> {
                                // the client retries a request on its own (a dropped connection, a 503): that is
                                // a retry of this file too, to be counted and told
                                if (isPressure(e)) {
                                    limiter.pressure();
                                }
                                retried(item, attempts, e);
                            })))
                    .retryWhen(Retry.backoff(options.maxAttempts() - 1, options.initialBackoff())
                            .maxBackoff(options.maxBackoff())
                            .jitter(0.5)
                            .filter(Engine::retryable)
                            .doBeforeRetry(rs -> retried(item, attempts, rs.failure()))
                            .onRetryExhaustedThrow((spec, rs) -> rs.failure()))
                    // a verified file moved exactly its size, however many attempts were cut short on the way
                    .then(Mono.fromCallable(() -> new Outcome(w, item.size() >= 0 ? item.size() : moved.get(), null)))
                    .onErrorResume(e -> Mono.just(new Outcome(w, moved.get(), e)));
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
                            Throwable error = o.error;
                            if (error == null) {
                                String expected = o.work.expectedDigest();
                                String actual = digests.get(o.work.targetPath());
                                if (actual == null) {
                                    error = new XnatIntegrityException(
                                            "Not listed at the target after the transfer: " + o.work.targetPath(),
                                            expected,
                                            "missing");
                                } else if (expected != null
                                        && !expected.isEmpty()
                                        && !actual.isEmpty()
                                        && !expected.equalsIgnoreCase(actual)) {
                                    error = new XnatIntegrityException(
                                            "MD5 mismatch at the target for " + o.work.targetPath(), expected, actual);
                                }
                            }
                            report(o, error);
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
                failed.add(new TransferReport.FailedItem(item, describe(error)));
                firstFailure.compareAndSet(null, error);
                log.debug("failed for good: {}", item, error);
                sink.next(new TransferEvent.Failed(item, error));
            }
        }
    }

    private record Checked(Group group, Work work, boolean upToDate) {}

    private record Outcome(Work work, long bytes, Throwable error) {}

    private static final class CancelledByFailFast extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledByFailFast() {
            super("cancelled: another file failed and fail-fast is on", null, false, false);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Transient failures worth another attempt of the whole file. */
    static boolean retryable(Throwable e) {
        if ((e.getClass() == XnatException.class || e instanceof io.github.xnatreactive.core.XnatTransportException)
                && e.getCause() != null) {
            return retryable(e.getCause()); // a transport failure wrapped by the client
        }
        if (e instanceof CancelledByFailFast || e instanceof XnatAuthenticationException) {
            return false;
        }
        if (e instanceof XnatHttpException h) {
            int s = h.status();
            return s >= 500 || s == 408 || s == 429;
        }
        return e instanceof XnatIntegrityException
                || e instanceof XnatProtocolException
                || e instanceof IOException
                || e instanceof TimeoutException
                || e instanceof java.io.UncheckedIOException
                || e.getClass().getName().startsWith("reactor.netty")
                || e instanceof io.netty.handler.timeout.ReadTimeoutException;
    }

    static boolean isPressure(Throwable e) {
        if ((e.getClass() == XnatException.class || e instanceof io.github.xnatreactive.core.XnatTransportException)
                && e.getCause() != null) {
            return isPressure(e.getCause());
        }
        if (e instanceof XnatHttpException h) {
            return h.status() == 503 || h.status() == 429 || h.status() == 502 || h.status() == 504;
        }
        return e instanceof TimeoutException || e instanceof io.netty.handler.timeout.ReadTimeoutException;
    }
}
