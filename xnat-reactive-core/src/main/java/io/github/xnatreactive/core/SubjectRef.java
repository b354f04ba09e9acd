package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A subject, by label (or accession ID) within its project. Made with {@link ProjectRef#subject(String)}; no I/O
 * until a method's result is subscribed.
 *
 * <pre>{@code
 * SubjectRef s = xnat.project("LAB").subject("S002");
 * String id = s.create(Map.of("gender", "female", "xnat:subjectData/group", "control")).block();
 * Map<String, String> fields = s.fields().block(); // demographics/gender=female, group=control...
 * }</pre>
 */
public final class SubjectRef extends ArchiveRef implements Shareable {
    private final ProjectRef project;

    SubjectRef(ProjectRef project, String label) {
        super(project.client, project.child("subjects", label), project.template + "/subjects/{subject}", label);
        this.project = project;
    }

    /**
     * The project this subject is named in.
     *
     * @return the project ref this ref was made from
     */
    public ProjectRef project() {
        return project;
    }

    /**
     * Lists the subject's experiments (imaging sessions and other subject assessors).
     *
     * @return the experiments with the server's default columns
     */
    public Flux<Experiment> experiments() {
        return experiments(ListOptions.of());
    }

    /**
     * Lists the subject's experiments with server-side columns, filters, type or sorting.
     *
     * @param options the listing options; {@link ListOptions#of()} for none
     * @return the matching experiments
     */
    public Flux<Experiment> experiments(ListOptions options) {
        return list("experiments", options).map(Experiment::from);
    }

    /**
     * Names an experiment of this subject. No I/O. A ref made this way can also create the experiment.
     *
     * @param label the experiment's label, or its accession ID
     * @return a ref to the experiment, whose {@link ExperimentRef#subject()} is this subject
     */
    public ExperimentRef experiment(String label) {
        return new ExperimentRef(
                client, child("experiments", label), template + "/experiments/{experiment}", label, this);
    }

    /**
     * Lists the subject's own resources (not those of its sessions).
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Names a resource of the subject. No I/O.
     *
     * @param label the resource's label
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Reads the subject's record.
     *
     * @return the subject; {@link XnatNotFoundException} when it does not exist. Its {@code insertDate} is "" (the
     *     document does not carry it; list the project's subjects for it)
     */
    public Mono<Subject> get() {
        return fields().map(f -> Subject.from(Map.of(
                "ID", f.getOrDefault("ID", ""),
                "label", f.getOrDefault("label", id),
                "project", f.getOrDefault("project", project.id()),
                "insert_date", "",
                "URI", "/data/subjects/" + f.getOrDefault("ID", ""))));
    }

    /**
     * Creates the subject (XNAT answers 201) or updates it (200) with fields given as short names or XPaths;
     * returns its accession ID.
     *
     * @param fields e.g. {@code gender}, {@code xnat:subjectData/group}; may be empty
     * @return the subject's accession ID, e.g. {@code XNAT_S00001}
     */
    public Mono<String> create(Map<String, String> fields) {
        return put(with(fields, "xsiType", "xnat:subjectData")).map(PutReply::body);
    }

    /**
     * Creates the subject with no fields, or leaves it as it is if it exists.
     *
     * @return the subject's accession ID
     */
    public Mono<String> create() {
        return create(Map.of());
    }

    /**
     * Sets fields of the subject.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Reads the subject's custom variables ({@code fields/field} of its document).
     *
     * @return each variable's name and value; {@link XnatNotFoundException} when the subject does not exist
     */
    public Mono<Map<String, String>> customFields() {
        return customFieldsOf();
    }

    /**
     * Sets custom variables of the subject ({@code xnat:subjectData/fields/field[name=K]/field=V}); the others are
     * kept.
     *
     * @param values names and values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> setCustomFields(Map<String, String> values) {
        return setNamed("xnat:subjectData", "fields/field", "field", values);
    }

    /**
     * Gives the subject a new label. This ref keeps the old label: make a new ref to reach the subject afterwards.
     *
     * @param newLabel the new label
     * @return completes when renamed; {@link XnatConflictException} when the project has a subject with that label
     */
    public Mono<Void> rename(String newLabel) {
        return put(Map.of("label", newLabel)).then();
    }

    /**
     * Deletes the subject with its experiments.
     *
     * @param removeFiles true to remove its files from the server's disk too
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
