package io.github.xnatreactive.kafka;

import java.util.regex.Pattern;

/**
 * The Kafka names of one migration job: {@code xnat-migrate.JOB.work} (one record per session, keyed by session),
 * {@code xnat-migrate.JOB.results} (one {@link SessionResult} per session), {@code xnat-migrate.JOB.dead-letter}
 * (a {@link DeadLetter} per session that failed for good) and the workers' consumer group
 * {@code xnat-migrate.JOB}.
 *
 * @param job the job's ID
 * @param work the work topic
 * @param results the results topic
 * @param deadLetter the dead-letter topic
 * @param group the workers' consumer group
 */
public record MigrationTopics(String job, String work, String results, String deadLetter, String group) {
    private static final Pattern JOB = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    /**
     * The names of a job.
     *
     * @param job letters, digits, {@code _} and {@code -}, 1 to 100 of them
     * @return the job's topics and group
     * @throws IllegalArgumentException when the job ID has other characters
     */
    public static MigrationTopics of(String job) {
        if (job == null || !JOB.matcher(job).matches()) {
            throw new IllegalArgumentException("a job ID is 1 to 100 letters, digits, '_' or '-', not '" + job + "'");
        }
        String base = "xnat-migrate." + job;
        return new MigrationTopics(job, base + ".work", base + ".results", base + ".dead-letter", base);
    }
}
