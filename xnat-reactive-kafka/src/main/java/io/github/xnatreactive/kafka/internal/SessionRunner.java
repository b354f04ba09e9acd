package io.github.xnatreactive.kafka.internal;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.kafka.MigrationClients;
import io.github.xnatreactive.kafka.MigrationListener;
import io.github.xnatreactive.kafka.MigrationOptions;
import io.github.xnatreactive.kafka.MigrationTask;
import io.github.xnatreactive.kafka.SessionResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one session of a migration with the bulk engine, again after a failure up to the options' attempts (each run
 * a sync: only what is not yet verified at the destination moves), and says what became of it. Never fails: a
 * session that fails for good is a {@link SessionResult.Status#FAILED} result with its cause.
 */
public final class SessionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRunner.class);

    private final MigrationClients clients;
    private final MigrationOptions options;
    private final String worker;
    private final MigrationListener listener;
    private final Map<String, XnatClient> sources = new ConcurrentHashMap<>();
    private final Map<String, XnatClient> destinations = new ConcurrentHashMap<>();

    public SessionRunner(
            MigrationClients clients, MigrationOptions options, String worker, MigrationListener listener) {
        this.clients = clients;
        this.options = options;
        this.worker = worker;
        this.listener = listener;
    }

    public String worker() {
        return worker;
    }

    /** Runs the session; the listener hears each attempt's events. */
    public Mono<SessionResult> run(MigrationTask task) {
        return Mono.defer(() -> {
            long started = System.currentTimeMillis();
            AtomicInteger attempt = new AtomicInteger();
            AtomicLong files = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            AtomicReference<TransferReport> last = new AtomicReference<>();
            Mono<TransferReport> once = Mono.defer(() -> {
                        attempt.incrementAndGet();
                        return transfer(task)
                                .flatMapMany(Transfer::events)
                                .doOnNext(e -> listener.on(task, e))
                                .ofType(TransferEvent.Finished.class)
                                .last()
                                .map(TransferEvent.Finished::report);
                    })
                    .flatMap(r -> {
                        files.addAndGet(r.files());
                        bytes.addAndGet(r.bytes());
                        last.set(r);
                        return r.succeeded() ? Mono.just(r) : Mono.error(new SessionNotVerified(r));
                    });
            return once.retryWhen(reactor.util.retry.Retry.from(signals -> signals.concatMap(s -> {
                        if (s.totalRetries() + 1 >= options.attempts()) {
                            return Mono.error(s.failure());
                        }
                        Duration wait = options.backoff().multipliedBy(s.totalRetries() + 1);
                        LOG.info(
                                "session {} ({}) attempt {} failed, trying again in {} ms: {}",
                                task.session(),
                                task.label(),
                                s.totalRetries() + 1,
                                wait.toMillis(),
                                describe(s.failure()));
                        return Mono.delay(wait).thenReturn(s.totalRetries());
                    })))
                    .map(r -> result(task, SessionResult.Status.DONE, files, bytes, r.skipped(), attempt, "", started))
                    .onErrorResume(e -> {
                        TransferReport r = last.get();
                        String cause = describe(e);
                        LOG.warn(
                                "session {} ({}) failed after {} attempts: {}",
                                task.session(),
                                task.label(),
                                attempt.get(),
                                cause);
                        return Mono.just(result(
                                task,
                                SessionResult.Status.FAILED,
                                files,
                                bytes,
                                r == null ? 0 : r.skipped(),
                                attempt,
                                cause,
                                started));
                    });
        });
    }

    private SessionResult result(
            MigrationTask task,
            SessionResult.Status status,
            AtomicLong files,
            AtomicLong bytes,
            long skipped,
            AtomicInteger attempts,
            String cause,
            long started) {
        long now = System.currentTimeMillis();
        return new SessionResult(
                task.job(),
                task.session(),
                task.project(),
                task.label(),
                status,
                files.get(),
                bytes.get(),
                skipped,
                attempts.get(),
                cause,
                worker,
                now,
                now - started);
    }

    /**
     * The session's transfer. A client is made once per server, off the event loops: making one may read a netrc
     * file or ask the user for a password.
     */
    private Mono<Transfer> transfer(MigrationTask task) {
        return client(sources, task.from(), true).flatMap(src -> {
            BulkClient bulk = BulkClient.of(src, options.transfer());
            return switch (task.action()) {
                case MIRROR ->
                    client(destinations, task.to(), false)
                            .map(dst -> bulk.mirror(
                                    Flux.just(src.experiment(task.session())),
                                    dst,
                                    task.toProject(),
                                    options.selection()));
                case DOWNLOAD ->
                    Mono.just(bulk.download(src.experiment(task.session()), Path.of(task.to()), options.selection()));
            };
        });
    }

    private Mono<XnatClient> client(Map<String, XnatClient> made, String url, boolean source) {
        XnatClient c = made.get(url);
        return c != null
                ? Mono.just(c)
                : Mono.fromCallable(() -> made.computeIfAbsent(url, u -> clients.client(u, source)))
                        .subscribeOn(Schedulers.boundedElastic());
    }

    static String describe(Throwable e) {
        if (e instanceof SessionNotVerified n) {
            return n.getMessage();
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** A run that ended with files not verified at the destination. */
    static final class SessionNotVerified extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionNotVerified(TransferReport r) {
            super(
                    r.failed().size() + " files not verified, the first "
                            + r.failed().get(0).item() + ": "
                            + r.failed().get(0).cause(),
                    null,
                    false,
                    false);
        }
    }
}
