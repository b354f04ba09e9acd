package io.github.xnatreactive.kafka;

import java.util.Objects;

/**
 * One record of a migration's work topic: one session and what to do with it. Keyed in the topic by
 * {@link #key()} (the session's accession ID on the source), so that a planner's rerun recognises what it planned.
 *
 * @param job the migration job's ID
 * @param action mirror to another server, or download to a folder
 * @param from the source server's URL (no credentials: each worker has its own)
 * @param project the session's project on the source
 * @param session the session's accession ID on the source, e.g. {@code XNAT_E00001}
 * @param label the session's label, for reports
 * @param to the destination server's URL for {@link Action#MIRROR}, or the local folder for {@link Action#DOWNLOAD}
 * @param toProject the destination project for {@link Action#MIRROR} ("" for a download)
 */
public record MigrationTask(
        String job,
        Action action,
        String from,
        String project,
        String session,
        String label,
        String to,
        String toProject) {
    /** What a worker does with a session. */
    public enum Action {
        /** Copy the session to another server (or project), verified against the destination's listing. */
        MIRROR,
        /** Download the session into a local folder, each file verified by size and MD5. */
        DOWNLOAD
    }

    /**
     * Checks that every part is given.
     *
     * @param job the migration job's ID
     * @param action mirror or download
     * @param from the source server's URL
     * @param project the session's project on the source
     * @param session the session's accession ID on the source
     * @param label the session's label
     * @param to the destination server's URL, or the local folder
     * @param toProject the destination project ("" for a download)
     * @throws NullPointerException when a part is null
     * @throws IllegalArgumentException when a mirror names no destination project
     */
    public MigrationTask {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(to, "to");
        toProject = toProject == null ? "" : toProject;
        if (action == Action.MIRROR && toProject.isEmpty()) {
            throw new IllegalArgumentException("a mirror task needs a destination project: " + session);
        }
    }

    /**
     * The record's key in the work topic.
     *
     * @return the session's accession ID on the source
     */
    public String key() {
        return session;
    }
}
