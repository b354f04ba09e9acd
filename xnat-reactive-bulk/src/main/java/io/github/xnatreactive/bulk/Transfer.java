package io.github.xnatreactive.bulk;

import io.github.xnatreactive.bulk.internal.Engine;
import io.github.xnatreactive.bulk.internal.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bulk transfer, ready to run. Nothing happens until {@link #events()} or {@link #run()} is subscribed; each
 * subscription runs the job again, and because files already in place are skipped, running it again after a crash
 * or a cancel moves only what is missing or wrong. The plan streams: files start moving as soon as the first resource
 * is listed, and memory stays bounded by the transfers in flight, not by the size of the job.
 *
 * <pre>{@code
 * Transfer transfer = BulkClient.of(xnat).download(session, dest, Selection.all());
 * TransferPlan before = transfer.plan().block(); // what would move; nothing is written
 * TransferReport report = transfer.events()
 *         .doOnNext(e -> {
 *             if (e instanceof TransferEvent.Failed f) {
 *                 System.err.println("failed: " + f.item() + ": " + f.cause());
 *             }
 *         })
 *         .ofType(TransferEvent.Finished.class)
 *         .blockLast()
 *         .report();
 * TransferPlan after = transfer.plan().block(); // everything is now up to date
 * }</pre>
 */
public final class Transfer {
    private final Engine engine;
    private final Supplier<Flux<Group>> planner;
    private final UnaryOperator<Flux<TransferEvent>> instrumentation;

    Transfer(Engine engine, Supplier<Flux<Group>> planner, UnaryOperator<Flux<TransferEvent>> instrumentation) {
        this.engine = engine;
        this.planner = planner;
        this.instrumentation = instrumentation;
    }

    /**
     * Runs the transfer: {@link TransferEvent.Listed} as each part of the plan arrives, per-file events from the
     * first part on, {@link TransferEvent.Planned} with the totals once the listing is complete, then
     * {@link TransferEvent.Finished} with the report. Failed files are reported, not thrown, unless fail-fast is on
     * (then the error is a {@link TransferFailedFastException}). Cancelling the subscription stops the job and
     * removes partial files. Runs through the options' {@link TransferOptions#instrumentation()}.
     *
     * @return the events in order, {@link TransferEvent.Finished} last; an error only for fail-fast, a failure to
     *     plan (e.g. the session does not exist) or an authentication failure
     */
    public Flux<TransferEvent> events() {
        return instrumentation.apply(engine.run(Flux.defer(planner)));
    }

    /**
     * Runs the transfer and returns the report, without the per-file events.
     *
     * @return the report; failed files are in {@link TransferReport#failed()}, not an error signal (unless
     *     fail-fast is on)
     */
    public Mono<TransferReport> run() {
        return events().ofType(TransferEvent.Finished.class).last().map(TransferEvent.Finished::report);
    }

    /**
     * A dry run: lists what would move and what is already in place, creating and writing nothing. It reads the
     * server's listings and, for what exists locally or on the destination, compares sizes and digests.
     *
     * @return the plan
     */
    public Mono<TransferPlan> plan() {
        List<TransferItem> move = new ArrayList<>();
        List<TransferItem> keep = new ArrayList<>();
        return engine.check(Flux.defer(planner))
                .doOnNext(e -> (e.getValue() ? keep : move).add(e.getKey()))
                .then(Mono.fromCallable(() -> new TransferPlan(move, keep)));
    }

    /**
     * How many files this transfer moves at once to begin with; adaptive concurrency may grow it up to
     * {@link TransferOptions#maxConcurrency()}, never past the pool.
     *
     * @return the requested concurrency, capped by the client's connection pool
     */
    public int concurrency() {
        return engine.concurrency();
    }

    /** The engine (for tests of this package: how many work items it held at once). */
    Engine engine() {
        return engine;
    }
}
