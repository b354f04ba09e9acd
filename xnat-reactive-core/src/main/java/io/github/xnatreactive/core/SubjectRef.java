package io.github.xnatreactive.core;

import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A subject, by label (or accession ID) within its project.
 *
 * <pre>{@code
 * SubjectRef s = xnat.project("P1").subject("S001");
 * String id = s.create(Map.of("gender", "female", "xnat:subjectData/group", "control")).block();
 * }</pre>
 */
public final class SubjectRef extends ArchiveRef {
    private final ProjectRef project;

    SubjectRef(ProjectRef project, String label) {
        super(project.client, project.child("subjects", label), project.template + "/subjects/{subject}", label);
        this.project = project;
    }

    public ProjectRef project() {
        return project;
    }

    public Flux<Experiment> experiments() {
        return experiments(ListOptions.of());
    }

    public Flux<Experiment> experiments(ListOptions options) {
        return list("experiments", options).map(Experiment::from);
    }

    /** An experiment of this subject by label (or accession ID). No I/O. */
    public ExperimentRef experiment(String label) {
        return new ExperimentRef(
                client, child("experiments", label), template + "/experiments/{experiment}", label, this);
    }

    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

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
     */
    public Mono<String> create(Map<String, String> fields) {
        return put(with(fields, "xsiType", "xnat:subjectData")).map(PutReply::body);
    }

    public Mono<String> create() {
        return create(Map.of());
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /** Gives the subject a new label (409 if the project has a subject with that label). */
    public Mono<Void> rename(String newLabel) {
        return put(Map.of("label", newLabel)).then();
    }

    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }
}
