package io.github.xnatreactive.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an import goes and how XNAT treats it: the destination (the prearchive, the archive, or the project's own
 * setting), the project, subject and session labels (else XNAT takes them from the DICOM headers: Patient's Name
 * for the subject, Patient ID for the session), what to do with a session that exists, and the import service's
 * flags. Immutable.
 *
 * <pre>{@code
 * ImportOptions direct = ImportOptions.toArchive("LAB")
 *         .subject("SUBJ01")
 *         .session("SUBJ01_MR1")
 *         .overwrite(ImportOptions.Overwrite.APPEND);
 * ImportOptions review = ImportOptions.toPrearchive("LAB").ignoreUnparsable(true);
 * }</pre>
 */
public final class ImportOptions {
    /** Where imported sessions land. */
    public enum Destination {
        /** The project decides (its prearchive code): no {@code dest} parameter is sent. */
        PROJECT_SETTING,
        /** The project's prearchive, built and ready to archive: {@code dest=/prearchive/projects/{P}}. */
        PREARCHIVE,
        /** Straight into the archive: {@code dest=/archive/projects/{P}[/subjects/{S}[/experiments/{E}]]}. */
        ARCHIVE
    }

    /** What archiving does when the session exists already ({@code overwrite=}). */
    public enum Overwrite {
        /** Refuse: the import or archive fails with {@link XnatConflictException}. */
        NONE,
        /** Add the new scans and files to the existing session. */
        APPEND,
        /** Replace the existing session. */
        DELETE
    }

    private final Destination destination;
    private final String project;
    private String subject;
    private String session;
    private Overwrite overwrite;
    private boolean quarantine;
    private Boolean triggerPipelines;
    private boolean ignoreUnparsable;

    private ImportOptions(Destination destination, String project) {
        this.destination = destination;
        this.project = Objects.requireNonNull(project, "project");
        this.overwrite = Overwrite.NONE;
    }

    /** A copy to change one setting of; the fields are set only here and in the method that made the copy. */
    private ImportOptions copy() {
        ImportOptions c = new ImportOptions(destination, project);
        c.subject = subject;
        c.session = session;
        c.overwrite = overwrite;
        c.quarantine = quarantine;
        c.triggerPipelines = triggerPipelines;
        c.ignoreUnparsable = ignoreUnparsable;
        return c;
    }

    /**
     * Imports into a project's prearchive, built: the sessions wait there to be archived.
     *
     * @param project the project's ID
     * @return new options
     */
    public static ImportOptions toPrearchive(String project) {
        return new ImportOptions(Destination.PREARCHIVE, project);
    }

    /**
     * Imports straight into a project's archive.
     *
     * @param project the project's ID
     * @return new options
     */
    public static ImportOptions toArchive(String project) {
        return new ImportOptions(Destination.ARCHIVE, project);
    }

    /**
     * Imports into a project and lets its prearchive setting decide where the sessions go.
     *
     * @param project the project's ID
     * @return new options
     */
    public static ImportOptions toProject(String project) {
        return new ImportOptions(Destination.PROJECT_SETTING, project);
    }

    /**
     * Sets the subject's label instead of the one XNAT takes from the headers.
     *
     * @param label the subject label, or null to take it from the headers
     * @return new options
     */
    public ImportOptions subject(String label) {
        ImportOptions c = copy();
        c.subject = label;
        return c;
    }

    /**
     * Sets the session's label instead of the one XNAT takes from the headers. An upload with a label must hold one
     * study.
     *
     * @param label the session (experiment) label, or null to take it from the headers
     * @return new options
     */
    public ImportOptions session(String label) {
        ImportOptions c = copy();
        c.session = label;
        return c;
    }

    /**
     * Sets what happens to a session that exists already.
     *
     * @param overwrite none (the default), append or delete
     * @return new options
     */
    public ImportOptions overwrite(Overwrite overwrite) {
        ImportOptions c = copy();
        c.overwrite = Objects.requireNonNull(overwrite);
        return c;
    }

    /**
     * Puts archived sessions in quarantine.
     *
     * @param quarantine true to quarantine
     * @return new options
     */
    public ImportOptions quarantine(boolean quarantine) {
        ImportOptions c = copy();
        c.quarantine = quarantine;
        return c;
    }

    /**
     * Sets whether archiving starts the project's pipelines (XNAT's default when not set).
     *
     * @param trigger true to trigger them, false not to
     * @return new options
     */
    public ImportOptions triggerPipelines(boolean trigger) {
        ImportOptions c = copy();
        c.triggerPipelines = trigger;
        return c;
    }

    /**
     * Sets whether files that are not DICOM are skipped instead of failing the whole upload.
     *
     * @param ignore true to skip them
     * @return new options
     */
    public ImportOptions ignoreUnparsable(boolean ignore) {
        ImportOptions c = copy();
        c.ignoreUnparsable = ignore;
        return c;
    }

    /**
     * The destination.
     *
     * @return prearchive, archive, or the project's setting
     */
    public Destination destination() {
        return destination;
    }

    /**
     * The project.
     *
     * @return the project's ID
     */
    public String project() {
        return project;
    }

    /**
     * The subject label given.
     *
     * @return the label, or null when XNAT takes it from the headers
     */
    public String subject() {
        return subject;
    }

    /**
     * The session label given.
     *
     * @return the label, or null when XNAT takes it from the headers
     */
    public String session() {
        return session;
    }

    /**
     * What happens to an existing session.
     *
     * @return the overwrite mode
     */
    public Overwrite overwrite() {
        return overwrite;
    }

    /** The import service's parameters for these options. */
    Map<String, String> toParams() {
        Map<String, String> p = new LinkedHashMap<>();
        switch (destination) {
            case ARCHIVE -> {
                String dest = "/archive/projects/" + project;
                if (subject != null) {
                    dest += "/subjects/" + subject;
                    if (session != null) {
                        dest += "/experiments/" + session;
                    }
                }
                p.put("dest", dest);
            }
            case PREARCHIVE -> p.put("dest", "/prearchive/projects/" + project);
            default -> {
                // the project's prearchive code decides
            }
        }
        p.put("PROJECT_ID", project);
        if (subject != null) {
            p.put("SUBJECT_ID", subject);
        }
        if (session != null) {
            p.put("EXPT_LABEL", session);
        }
        if (overwrite != Overwrite.NONE) {
            p.put("overwrite", overwrite.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (quarantine) {
            p.put("quarantine", "true");
        }
        if (triggerPipelines != null) {
            p.put("triggerPipelines", triggerPipelines.toString());
        }
        if (ignoreUnparsable) {
            p.put("Ignore-Unparsable", "true");
        }
        return p;
    }

    @Override
    public String toString() {
        return "ImportOptions" + toParams();
    }
}
