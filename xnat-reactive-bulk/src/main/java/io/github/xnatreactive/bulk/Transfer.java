package io.github.xnatreactive.bulk;

import io.github.xnatreactive.bulk.internal.Engine;
import io.github.xnatreactive.bulk.internal.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bulk transfer, ready to run. Nothing happens until {@link #events()} or {@link #run()} is subscribed; each
 * subscription runs the job again, and because files already in place are skipped, running it again after a crash
 * or a cancel moves only what is missing or wrong. The plan streams: files start moving as soon as the first resource
 * is listed, and memory stays bounded by the transfers in flight, not by the size of the job.
 *
 * <pre>{@code
 * TransferReport report = transfer.events()
 *         .doOnNext(e -> { if (e instanceof TransferEvent.Failed f) log.warn("failed: {}", f.item()); })
 *         .ofType(TransferEvent.Finished.class)
 *         .blockLast()
 *         .report();
 * }</pre>
 */
public final class Transfer {
    private final Engine engine;
    private final Supplier<Flux<Group>> planner;

    Transfer(Engine engine, Supplier<Flux<Group>> planner) {
        this.engine = engine;
        this.planner = planner;
    }

    /**
     * Runs the transfer: {@link TransferEvent.Listed} as each part of the plan arrives, per-file events from the
     * first part on, {@link TransferEvent.Planned} with the totals once the listing is complete, then
     * {@link TransferEvent.Finished} with the report. Failed files are reported, not thrown, unless fail-fast is on
     * (then the error is a {@link TransferFailedFastException}). Cancelling the subscription stops the job and
     * removes partial files.
     */
    public Flux<TransferEvent> events() {
        return engine.run(Flux.defer(planner));
    }

    /** Runs the transfer and returns the report. */
    public Mono<TransferReport> run() {
        return events().ofType(TransferEvent.Finished.class).last().map(TransferEvent.Finished::report);
    }

    /** A dry run: lists what would move and what is already in place, creating and writing nothing. */
    public Mono<TransferPlan> plan() {
        List<TransferItem> move = new ArrayList<>();
        List<TransferItem> keep = new ArrayList<>();
        return engine.check(Flux.defer(planner))
                .doOnNext(e -> (e.getValue() ? keep : move).add(e.getKey()))
                .then(Mono.fromCallable(() -> new TransferPlan(move, keep)));
    }

    /** The number of files moved at once to begin with (the requested concurrency, capped by the connection pool). */
    public int concurrency() {
        return engine.concurrency();
    }

    /** The engine (for tests of this package: how many work items it held at once). */
    Engine engine() {
        return engine;
    }
}
