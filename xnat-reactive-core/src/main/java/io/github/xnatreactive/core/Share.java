package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A project a subject, experiment or assessor is in: its own project ({@code primary}) or one it is shared into,
 * with its label there. Listed by {@code shares()} on {@link SubjectRef}, {@link ExperimentRef} and
 * {@link AssessorRef}.
 *
 * @param project the project's ID
 * @param label the item's label in that project
 * @param primary true for the project that owns the item
 */
public record Share(String project, String label, boolean primary) {
    /**
     * Builds the record from a row of {@code {item}/projects}.
     *
     * @param row the row ({@code ID}, {@code label}, {@code primary})
     * @return the share
     */
    public static Share from(Map<String, String> row) {
        return new Share(s(row, "ID"), s(row, "label"), "true".equalsIgnoreCase(s(row, "primary")));
    }
}
