package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A project, by ID or alias.
 *
 * <pre>{@code
 * ProjectRef p = xnat.project("P1");
 * p.create(Map.of("name", "Pilot study")).block();
 * p.subjects().map(Subject::label).collectList().block();
 * p.setAccessibility("protected").block();
 * }</pre>
 */
public final class ProjectRef extends ArchiveRef {
    ProjectRef(XnatClient client, String id) {
        super(client, "/data/projects/" + Uris.segment(id), "/data/projects/{project}", id);
    }

    public Flux<Subject> subjects() {
        return subjects(ListOptions.of());
    }

    public Flux<Subject> subjects(ListOptions options) {
        return list("subjects", options).map(Subject::from);
    }

    /** A subject by label (or accession ID) in this project. No I/O. */
    public SubjectRef subject(String label) {
        return new SubjectRef(this, label);
    }

    /** The project's imaging sessions and other subject assessors. */
    public Flux<Experiment> experiments() {
        return experiments(ListOptions.of());
    }

    public Flux<Experiment> experiments(ListOptions options) {
        return list("experiments", options).map(Experiment::from);
    }

    /**
     * An experiment by label (or accession ID) in this project, without naming its subject. Enough to read,
     * update and delete it; to create one, go through {@link SubjectRef#experiment(String)}.
     */
    public ExperimentRef experiment(String label) {
        return new ExperimentRef(
                client, child("experiments", label), template + "/experiments/{experiment}", label, null);
    }

    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /** The project's record. */
    public Mono<Project> get() {
        return fields().map(f -> Project.from(Map.of(
                "ID", f.getOrDefault("ID", id),
                "name", f.getOrDefault("name", ""),
                "secondary_ID", f.getOrDefault("secondary_id", f.getOrDefault("secondary_ID", "")),
                "description", f.getOrDefault("description", ""),
                "pi_firstname", f.getOrDefault("pi/firstname", ""),
                "pi_lastname", f.getOrDefault("pi/lastname", ""),
                "URI", "/data/projects/" + f.getOrDefault("ID", id))));
    }

    /** Creates the project (or updates it if it exists) with fields such as name, description, secondary_ID. */
    public Mono<Void> create(Map<String, String> fields) {
        return put(with(fields, "xsiType", "xnat:projectData")).then();
    }

    public Mono<Void> create() {
        return create(Map.of());
    }

    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /** Deletes the project; with {@code removeFiles} its files are removed from disk too. */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /** {@code public}, {@code protected} or {@code private}. */
    public Mono<String> accessibility() {
        return plain("accessibility");
    }

    public Mono<Void> setAccessibility(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        if (!l.equals("public") && !l.equals("protected") && !l.equals("private")) {
            throw new IllegalArgumentException("accessibility must be public, protected or private");
        }
        return setPlain("accessibility", l);
    }

    public Mono<Integer> prearchiveCode() {
        return plain("prearchive_code").map(ProjectRef::integer);
    }

    /** 0 to 4: what happens to incoming sessions (prearchive, auto-archive...). */
    public Mono<Void> setPrearchiveCode(int code) {
        if (code < 0 || code > 4) {
            throw new IllegalArgumentException("prearchive code must be 0..4");
        }
        return setPlain("prearchive_code", Integer.toString(code));
    }

    public Mono<Integer> quarantineCode() {
        return plain("quarantine_code").map(ProjectRef::integer);
    }

    public Mono<Void> setQuarantineCode(int code) {
        if (code != 0 && code != 1) {
            throw new IllegalArgumentException("quarantine code must be 0 or 1");
        }
        return setPlain("quarantine_code", Integer.toString(code));
    }

    /** The project's current archive folder, e.g. {@code arc001}. */
    public Mono<String> currentArc() {
        return plain("current_arc");
    }

    public Mono<Void> setCurrentArc(String folder) {
        return setPlain("current_arc", folder);
    }

    /** The project's aliases (other IDs it can be reached by). */
    public Flux<String> aliases() {
        return client.rows("/data/projects", "/data/projects", Map.of("columns", "ID,alias"))
                .filter(r -> id.equals(r.get("ID")))
                .map(r -> r.getOrDefault("alias", ""))
                .filter(a -> !a.isEmpty());
    }

    public Mono<Void> addAlias(String alias) {
        return put(Map.of("alias", alias)).then();
    }

    public Mono<String> description() {
        return fields().map(f -> f.getOrDefault("description", ""));
    }

    public Mono<Void> setDescription(String description) {
        return put(Map.of("description", description)).then();
    }

    private Mono<String> plain(String what) {
        return client.transport()
                .text(Request.get(path + "/" + what)
                        .template(template + "/" + what)
                        .build())
                .map(String::strip);
    }

    private Mono<Void> setPlain(String what, String value) {
        return client.transport()
                .discard(Request.put(path + "/" + what + "/" + Uris.segment(value))
                        .template(template + "/" + what + "/{value}")
                        .build());
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new XnatProtocolException("Expected a number, got '" + s + "'");
        }
    }
}
