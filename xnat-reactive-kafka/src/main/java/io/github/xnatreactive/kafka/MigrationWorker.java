package io.github.xnatreactive.kafka;

import io.github.xnatreactive.kafka.internal.Json;
import io.github.xnatreactive.kafka.internal.KafkaConfigs;
import io.github.xnatreactive.kafka.internal.SessionRunner;
import io.github.xnatreactive.kafka.internal.WorkReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One worker of a migration: a member of the job's consumer group that runs the bulk engine on each session the
 * group assigns to it, several at once, and for each session publishes its {@link SessionResult} to the results
 * topic (and a {@link DeadLetter} when it failed after every attempt) in the same Kafka transaction that commits the
 * work record's offset. An offset is committed only for a session that is verified at the destination, or that
 * failed for good and is in the dead-letter topic; records of a partition commit in order, so a session done early
 * waits (unreported) for the ones before it.
 *
 * <p>When a worker dies, the group gives its partitions to the others, which start again from the last committed
 * offset: a session that was half done moves only its remainder (the engine skips what is verified in place), and
 * one that was done but not committed is reported once, by its new owner.
 *
 * <pre>{@code
 * MigrationWorker worker = MigrationWorker.of(
 *         Map.of("bootstrap.servers", bootstrap), "site-2026", clients, MigrationOptions.defaults().concurrency(4));
 * Disposable running = worker.run().subscribe(r -> System.out.println(r.label() + " " + r.status()));
 * // ... later: running.dispose() stops it as a crash would; the group hands its sessions to the others
 * }</pre>
 */
public final class MigrationWorker {
    private final Map<String, Object> kafka;
    private final MigrationTopics topics;
    private final MigrationClients clients;
    private final MigrationOptions options;
    private final MigrationListener listener;
    private final String id;

    private MigrationWorker(
            Map<String, Object> kafka,
            MigrationTopics topics,
            MigrationClients clients,
            MigrationOptions options,
            MigrationListener listener,
            String id) {
        this.kafka = kafka;
        this.topics = topics;
        this.clients = clients;
        this.options = options;
        this.listener = listener;
        this.id = id;
    }

    /**
     * A worker of a job, with an ID of its own.
     *
     * @param kafka the Kafka client settings: at least {@code bootstrap.servers}, and any security settings
     * @param job the job's ID, as the planner was given it
     * @param clients how to connect to the servers the work records name
     * @param options sessions at once, attempts, the bulk engine's options
     * @return the worker; nothing runs before {@link #run()} is subscribed
     * @throws IllegalArgumentException when the job ID is not valid or {@code bootstrap.servers} is missing
     */
    public static MigrationWorker of(
            Map<String, Object> kafka, String job, MigrationClients clients, MigrationOptions options) {
        return new MigrationWorker(
                KafkaConfigs.checked(kafka),
                MigrationTopics.of(job),
                Objects.requireNonNull(clients),
                Objects.requireNonNull(options),
                MigrationListener.NONE,
                "worker-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * The same worker, telling {@code listener} of each session's progress.
     *
     * @param listener told of the bulk engine's events; must not block
     * @return a new worker
     */
    public MigrationWorker listener(MigrationListener listener) {
        return new MigrationWorker(kafka, topics, clients, options, Objects.requireNonNull(listener), id);
    }

    /**
     * The same worker under another ID (it names the worker in results and in its Kafka client IDs).
     *
     * @param id letters, digits, {@code _} and {@code -}
     * @return a new worker
     * @throws IllegalArgumentException when the ID has other characters
     */
    public MigrationWorker id(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("a worker ID is 1 to 100 letters, digits, '_' or '-', not '" + id + "'");
        }
        return new MigrationWorker(kafka, topics, clients, options, listener, id);
    }

    /**
     * The worker's ID.
     *
     * @return the ID that results and dead letters name
     */
    public String id() {
        return id;
    }

    /**
     * Runs the worker: joins the group and works until cancelled (for a graceful stop, see
     * {@link #run(org.reactivestreams.Publisher, Duration)}). Emits each session's result once it is committed.
     * Cancelling is a crash as far as the job is concerned: nothing more is committed, the sessions in flight stop,
     * and the group gives them to the other workers. The flux errors when Kafka fails for good (the sessions this
     * worker had not committed go to the others).
     *
     * @return the committed results of this worker's sessions
     */
    public Flux<SessionResult> run() {
        return run(Mono.never(), Duration.ZERO);
    }

    /**
     * Runs the worker until {@code stop} signals, then stops it gracefully: it takes no new session, lets the
     * sessions in flight finish for at most {@code drain} and commits their results as usual, leaves the group (so
     * that the other workers take its partitions at once, without waiting for the group's session timeout) and
     * completes. A session still in flight when {@code drain} is up stops as in a crash: nothing more is committed
     * for it, and its new owner moves its remainder. Sessions the worker had fetched but not started are never
     * started; they go to the partitions' next owners.
     *
     * <pre>{@code
     * Sinks.Empty<Void> stop = Sinks.empty();
     * Disposable running = worker.run(stop.asMono(), Duration.ofSeconds(30))
     *         .subscribe(
     *                 r -> System.out.println(r.label() + " " + r.status()),
     *                 e -> System.out.println("the worker failed: " + e),
     *                 () -> System.out.println("the worker stopped"));
     * // ... on SIGTERM: no new session; those in flight finish and commit (within 30 s), the flux completes
     * stop.tryEmitEmpty();
     * }</pre>
     *
     * @param stop the graceful stop: its first value, or its completion (an error of it fails the flux, as a
     *     crash)
     * @param drain how long the sessions in flight may take to finish after the stop; zero stops them at once
     * @return the committed results of this worker's sessions; completes after a stop
     * @throws IllegalArgumentException when {@code drain} is negative
     */
    public Flux<SessionResult> run(org.reactivestreams.Publisher<?> stop, Duration drain) {
        return run(stop, drain, inFlight -> {});
    }

    /**
     * As {@link #run(org.reactivestreams.Publisher, Duration)}, telling {@code onStopped}, once, when the stop has
     * taken effect: from then on the worker starts no new session, so the sessions it reports after that are those
     * that were in flight then. A stop signals from any thread, and until it takes effect (a few milliseconds) a
     * session may still start; a message such as "stopping after N sessions" is exact only from here.
     *
     * @param stop the graceful stop, as for {@link #run(org.reactivestreams.Publisher, Duration)}
     * @param drain how long the sessions in flight may take to finish after the stop
     * @param onStopped told the number of sessions in flight when the stop took effect; called on the worker's
     *     receiving thread, it must return quickly and never block
     * @return the committed results of this worker's sessions; completes after a stop
     * @throws IllegalArgumentException when {@code drain} is negative
     */
    public Flux<SessionResult> run(
            org.reactivestreams.Publisher<?> stop, Duration drain, java.util.function.IntConsumer onStopped) {
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(onStopped, "onStopped");
        if (drain == null || drain.isNegative()) {
            throw new IllegalArgumentException("the drain time must be zero or more, not " + drain);
        }
        return Flux.defer(() -> {
            SessionRunner runner = new SessionRunner(clients, options, id, listener);
            WorkReceiver receiver = new WorkReceiver(
                    KafkaConfigs.workerConsumer(kafka, topics, id, options.concurrency()),
                    KafkaConfigs.workerProducer(kafka, topics, id),
                    topics.work(),
                    "xnat-migrate-" + topics.job() + "-" + id,
                    Duration.ofMillis(500));
            Mono<Void> stopped = Flux.from(stop).next().then().cache();
            // the drain's end: what is still in flight stops as in a crash (with no drain time, at the stop itself)
            Mono<?> drained = drain.isZero() ? stopped : stopped.then(Mono.delay(drain));
            return receiver.receive(stopped, onStopped)
                    .flatMap(d -> handle(runner, d), options.concurrency(), 1)
                    .takeUntilOther(drained);
        });
    }

    private Mono<SessionResult> handle(SessionRunner runner, WorkReceiver.Delivery d) {
        String value = d.record().value();
        MigrationTask task;
        try {
            task = Json.task(value);
        } catch (RuntimeException e) {
            // not a task of ours: it goes to the dead letters as it is, and the job goes on
            DeadLetter dl = new DeadLetter(
                    null,
                    value,
                    "unreadable work record " + d + ": " + e.getMessage(),
                    0,
                    id,
                    System.currentTimeMillis());
            return d.complete(List.of(
                            new ProducerRecord<>(topics.deadLetter(), d.record().key(), Json.write(dl))))
                    .then(Mono.empty());
        }
        return runner.run(task).takeUntilOther(d.revoked()).flatMap(r -> d.complete(outputs(task, r))
                .flatMap(ok -> ok ? Mono.just(r) : Mono.empty()));
    }

    private List<ProducerRecord<String, String>> outputs(MigrationTask task, SessionResult r) {
        List<ProducerRecord<String, String>> out = new ArrayList<>(2);
        out.add(new ProducerRecord<>(topics.results(), task.key(), Json.write(r)));
        if (!r.done()) {
            DeadLetter dl = new DeadLetter(task, Json.write(task), r.cause(), r.attempts(), id, r.finishedAt());
            out.add(new ProducerRecord<>(topics.deadLetter(), task.key(), Json.write(dl)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "MigrationWorker[" + id + " of " + topics.job() + ", " + options + "]";
    }
}
