package io.github.xnatreactive.kafka;

import io.github.xnatreactive.bulk.TransferEvent;

/**
 * Told of the bulk engine's progress events of each session a worker runs (files started, moved, retried...; one
 * {@link TransferEvent.Finished} per attempt). Called on the transfer's threads: it must return quickly and never
 * block.
 *
 * <p>Example: {@code (task, e) -> { if (e instanceof TransferEvent.Completed c) moved.incrementAndGet(); }}
 */
@FunctionalInterface
public interface MigrationListener {
    /** A listener that ignores every event. */
    MigrationListener NONE = (task, event) -> {};

    /**
     * One event of one session.
     *
     * @param task the session's task
     * @param event the bulk engine's event
     */
    void on(MigrationTask task, TransferEvent event);
}
