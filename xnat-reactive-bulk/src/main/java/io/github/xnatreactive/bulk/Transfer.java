package io.github.xnatreactive.bulk;

import io.github.xnatreactive.bulk.internal.Engine;
import io.github.xnatreactive.bulk.internal.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bulk transfer, ready to run. Nothing happens until {@link #events()} or {@link #run()} is subscribed; each
 * subscription runs the job again, and because files already in place are skipped, running it again after a crash
 * or a cancel moves only what is missing or wrong.
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
    private final Function<Boolean, Mono<List<Group>>> planner;

    Transfer(Engine engine, Function<Boolean, Mono<List<Group>>> planner) {
        this.engine = engine;
        this.planner = planner;
    }

    /**
     * Runs the transfer: {@link TransferEvent.Planned}, per-file events, then {@link TransferEvent.Finished} with
     * the report. Failed files are reported, not thrown, unless fail-fast is on. Cancelling the subscription stops
     * the job and removes partial files.
     *
     * @return the events in order, {@link TransferEvent.Finished} last; an error only for fail-fast, a failure to
     *     plan (e.g. the session does not exist) or an authentication failure
     */
    public Flux<TransferEvent> events() {
        return engine.run(Mono.defer(() -> planner.apply(true)));
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
        return engine.check(Mono.defer(() -> planner.apply(false))).map(entries -> {
            List<TransferItem> move = new ArrayList<>();
            List<TransferItem> keep = new ArrayList<>();
            for (Map.Entry<TransferItem, Boolean> e : entries) {
                (e.getValue() ? keep : move).add(e.getKey());
            }
            return new TransferPlan(move, keep);
        });
    }

    /**
     * How many files this transfer moves at once, at most.
     *
     * @return the requested concurrency, capped by the client's connection pool
     */
    public int concurrency() {
        return engine.concurrency();
    }
}
