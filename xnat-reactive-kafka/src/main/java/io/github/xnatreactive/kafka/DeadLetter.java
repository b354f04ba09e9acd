package io.github.xnatreactive.kafka;

import java.util.Objects;

/**
 * A session that still failed after its attempts, as the dead-letter topic holds it: the work record's task and why
 * it failed. Rerun it by planning a new job for it; the sync semantics of the bulk engine move only what is missing.
 *
 * @param task the task as planned ({@code null} when the work record could not be read; {@link #raw()} then has it)
 * @param raw the work record's value as it was in the topic
 * @param cause why the last attempt failed
 * @param attempts how many times the session was run
 * @param worker the worker that gave up on it
 * @param at when it gave up, in milliseconds since the epoch
 */
public record DeadLetter(MigrationTask task, String raw, String cause, int attempts, String worker, long at) {
    /**
     * Checks that the cause is given.
     *
     * @param task the task as planned, or null when the record could not be read
     * @param raw the work record's value
     * @param cause why the last attempt failed
     * @param attempts how many times the session was run
     * @param worker the worker that gave up on it
     * @param at when it gave up, in milliseconds since the epoch
     * @throws NullPointerException when {@code cause} is null
     */
    public DeadLetter {
        Objects.requireNonNull(cause, "cause");
        raw = raw == null ? "" : raw;
        worker = worker == null ? "" : worker;
    }
}
