package io.github.xnatreactive.kafka;

import java.util.Objects;

/**
 * What became of one session of a migration: published to the results topic by the worker that did it, in the same
 * Kafka transaction that commits the work record's offset, so that a session is reported once.
 *
 * @param job the migration job's ID
 * @param session the session's accession ID on the source
 * @param project the session's project on the source
 * @param label the session's label
 * @param status done (every file verified at the destination) or failed (after every attempt)
 * @param files files moved, over all attempts
 * @param bytes bytes moved, over all attempts
 * @param skipped files already in place at the destination, which did not move (on the last attempt)
 * @param attempts how many times the session was run (1 when the first run verified it)
 * @param cause why the last attempt failed ("" when done)
 * @param worker the worker that ran it
 * @param finishedAt when it ended, in milliseconds since the epoch
 * @param millis how long its attempts took, in milliseconds
 */
public record SessionResult(
        String job,
        String session,
        String project,
        String label,
        Status status,
        long files,
        long bytes,
        long skipped,
        int attempts,
        String cause,
        String worker,
        long finishedAt,
        long millis) {
    /** Whether a session is done. */
    public enum Status {
        /** Every file of the session is at the destination, verified. */
        DONE,
        /** The session still failed after its attempts; it is in the dead-letter topic too. */
        FAILED
    }

    /**
     * Checks that the names and status are given.
     *
     * @param job the migration job's ID
     * @param session the session's accession ID on the source
     * @param project the session's project on the source
     * @param label the session's label
     * @param status done or failed
     * @param files files moved
     * @param bytes bytes moved
     * @param skipped files already in place
     * @param attempts how many times the session was run
     * @param cause why the last attempt failed ("" when done)
     * @param worker the worker that ran it
     * @param finishedAt when it ended, in milliseconds since the epoch
     * @param millis how long its attempts took, in milliseconds
     * @throws NullPointerException when a name or the status is null
     */
    public SessionResult {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
        project = project == null ? "" : project;
        label = label == null ? "" : label;
        cause = cause == null ? "" : cause;
        worker = worker == null ? "" : worker;
    }

    /**
     * Whether the session is done.
     *
     * @return true when every file of the session is verified at the destination
     */
    public boolean done() {
        return status == Status.DONE;
    }
}
