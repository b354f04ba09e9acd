package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A project, by ID or alias. Made with {@link XnatClient#project(String)}; no I/O until a method's result is
 * subscribed.
 *
 * <pre>{@code
 * ProjectRef p = xnat.project("PILOT");
 * p.create(Map.of("name", "Pilot study")).block();
 * p.setAccessibility("protected").block();
 * String name = p.get().block().name(); // "Pilot study"
 * List<String> subjects = p.subjects().map(Subject::label).collectList().block();
 * }</pre>
 */
public final class ProjectRef extends ArchiveRef {
    ProjectRef(XnatClient client, String id) {
        super(client, "/data/projects/" + Uris.segment(id), "/data/projects/{project}", id);
    }

    /**
     * Lists the project's subjects.
     *
     * @return the subjects with the server's default columns; {@link XnatNotFoundException} when the project does
     *     not exist
     */
    public Flux<Subject> subjects() {
        return subjects(ListOptions.of());
    }

    /**
     * Lists the project's subjects with server-side columns, filters, sorting or paging.
     *
     * @param options the listing options; {@link ListOptions#of()} for none
     * @return the matching subjects
     */
    public Flux<Subject> subjects(ListOptions options) {
        return list("subjects", options).map(Subject::from);
    }

    /**
     * Names a subject of this project. No I/O.
     *
     * @param label the subject's label in this project, or its accession ID
     * @return a ref to the subject
     */
    public SubjectRef subject(String label) {
        return new SubjectRef(this, label);
    }

    /**
     * Lists the project's imaging sessions and other subject assessors.
     *
     * @return the experiments with the server's default columns
     */
    public Flux<Experiment> experiments() {
        return experiments(ListOptions.of());
    }

    /**
     * Lists the project's experiments with server-side columns, filters, type, sorting or paging.
     *
     * @param options the listing options; {@link ListOptions#of()} for none
     * @return the matching experiments
     */
    public Flux<Experiment> experiments(ListOptions options) {
        return list("experiments", options).map(Experiment::from);
    }

    /**
     * An experiment by label (or accession ID) in this project, without naming its subject. Enough to read,
     * update and delete it; to create one, go through {@link SubjectRef#experiment(String)}.
     *
     * @param label the experiment's label in this project, or its accession ID
     * @return a ref to the experiment; its {@link ExperimentRef#subject()} is null
     */
    public ExperimentRef experiment(String label) {
        return new ExperimentRef(
                client, child("experiments", label), template + "/experiments/{experiment}", label, null);
    }

    /**
     * Lists the project's own resources (not those of its subjects or sessions).
     *
     * @return the resources, with file counts and sizes
     */
    public Flux<Resource> resources() {
        return list("resources", ListOptions.of()).map(Resource::from);
    }

    /**
     * Names a resource of the project. No I/O.
     *
     * @param label the resource's label, e.g. {@code PROTOCOLS}
     * @return a ref to the resource
     */
    public ResourceRef resource(String label) {
        return new ResourceRef(this, null, label);
    }

    /**
     * Reads the project's record.
     *
     * @return the project; {@link XnatNotFoundException} when it does not exist or the user cannot see it
     */
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

    /**
     * Creates the project, or updates it if it exists. The user becomes its owner.
     *
     * @param fields fields such as {@code name}, {@code description}, {@code secondary_ID}; may be empty
     * @return the project's ID (the one this ref was made with), when the server has stored it
     */
    public Mono<String> create(Map<String, String> fields) {
        return put(with(fields, "xsiType", "xnat:projectData")).thenReturn(id);
    }

    /**
     * Creates the project with no fields, or leaves it as it is if it exists.
     *
     * @return the project's ID, when the server has stored it
     */
    public Mono<String> create() {
        return create(Map.of());
    }

    /**
     * Sets fields of the project.
     *
     * @param fields short names or XPaths and their new values; an empty map sends nothing
     * @return completes when the server has stored them
     */
    public Mono<Void> update(Map<String, String> fields) {
        return updateFields(fields);
    }

    /**
     * Reads the custom variables the project defines (its {@code studyProtocol} definitions).
     *
     * @return the variables, by data type and group, in document order
     */
    public Mono<java.util.List<CustomVariable>> customVariables() {
        return document().map(XnatDocument::definitions);
    }

    /**
     * Defines custom variables for the objects of one data type in this project, as XNAT's project settings do:
     * reads the project document, adds the variables to the group (created when missing) and puts the document
     * back. Variables already defined get the type given.
     *
     * <pre>{@code
     * project.defineCustomVariables("xnat:subjectData", "clinical", Map.of("bmi", "float")).block();
     * project.subject("P1_S001").setCustomFields(Map.of("bmi", "22.5")).block();
     * }</pre>
     *
     * @param dataType the data type whose objects carry them, e.g. {@code xnat:subjectData}
     * @param group the definition group's ID
     * @param variables names and value types ({@code string}, {@code integer}, {@code float}, {@code boolean},
     *     {@code date})
     * @return completes when the server has stored them; {@link IllegalArgumentException} when the project offers
     *     no custom variable set for the data type
     */
    public Mono<Void> defineCustomVariables(String dataType, String group, Map<String, String> variables) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(variables);
        return document()
                .map(d -> d.withDefinitions(dataType, group, copy))
                .flatMap(d -> putDocument(d, false))
                .then();
    }

    /**
     * Deletes the project with its subjects, sessions and resources.
     *
     * @param removeFiles true to remove its files from the server's disk too (otherwise only the catalog entries
     *     go)
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete(boolean removeFiles) {
        return deleteWith(removeFiles);
    }

    /**
     * Reads who can see the project.
     *
     * @return {@code public}, {@code protected} or {@code private}
     */
    public Mono<String> accessibility() {
        return plain("accessibility");
    }

    /**
     * Sets who can see the project.
     *
     * @param level {@code public}, {@code protected} or {@code private}, any case
     * @return completes when the server has stored it
     * @throws IllegalArgumentException for another level (thrown when called)
     */
    public Mono<Void> setAccessibility(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        if (!l.equals("public") && !l.equals("protected") && !l.equals("private")) {
            throw new IllegalArgumentException("accessibility must be public, protected or private");
        }
        return setPlain("accessibility", l);
    }

    /**
     * Lists the project's users with their groups ({@code GET .../users}). Only owners and site administrators may
     * list them (XNAT's {@code restrictUserListAccessToAdmins}, on by default).
     *
     * @return the owners, then the members, then the collaborators; {@link XnatForbiddenException} for other users,
     *     {@link XnatNotFoundException} when the project is not visible
     */
    public Flux<ProjectMember> users() {
        return list("users", ListOptions.of()).map(ProjectMember::from);
    }

    /**
     * Lists the logins of the project's owners (see {@link #users()}).
     *
     * @return the owners' logins
     */
    public Flux<String> owners() {
        return loginsOf(ProjectRole.OWNER);
    }

    /**
     * Lists the logins of the project's members (see {@link #users()}).
     *
     * @return the members' logins
     */
    public Flux<String> members() {
        return loginsOf(ProjectRole.MEMBER);
    }

    /**
     * Lists the logins of the project's collaborators (see {@link #users()}).
     *
     * @return the collaborators' logins
     */
    public Flux<String> collaborators() {
        return loginsOf(ProjectRole.COLLABORATOR);
    }

    /**
     * Reads a user's group in the project (see {@link #users()}).
     *
     * @param login the user's login
     * @return the role; empty when the user is in none of the project's groups
     */
    public Mono<ProjectRole> role(String login) {
        return users().filter(m -> m.login().equals(login)).next().map(ProjectMember::role);
    }

    /**
     * Puts a user in one of the project's groups ({@code PUT .../users/{role}/{login}}), moving them out of the
     * group they were in. Owners and site administrators only.
     *
     * @param login an existing user's login
     * @param role the group
     * @return completes when the server has stored it; {@link XnatForbiddenException} for other users,
     *     {@link XnatNotFoundException} for an unknown login, {@link XnatHttpException} 412 for the guest
     */
    public Mono<Void> addUser(String login, ProjectRole role) {
        return client.transport()
                .discard(Request.put(path + "/users/" + role.word() + "/" + Uris.segment(login))
                        .template(template + "/users/" + role.word() + "/{login}")
                        .build());
    }

    /**
     * Takes a user out of the project's groups: reads their group, then {@code DELETE .../users/{role}/{login}}.
     * Owners and site administrators only.
     *
     * @param login the user's login
     * @return completes when the user is in none of the project's groups (at once when they were in none)
     */
    public Mono<Void> removeUser(String login) {
        return role(login).flatMap(r -> client.transport()
                .discard(Request.delete(path + "/users/" + r.word() + "/" + Uris.segment(login))
                        .template(template + "/users/" + r.word() + "/{login}")
                        .build()));
    }

    private Flux<String> loginsOf(ProjectRole role) {
        return users().filter(m -> m.role() == role).map(ProjectMember::login);
    }

    /**
     * Reads what happens to sessions sent to the project (see {@link #setPrearchiveCode(int)}).
     *
     * @return the prearchive code, 0 to 4
     */
    public Mono<Integer> prearchiveCode() {
        return plain("prearchive_code").map(ProjectRef::integer);
    }

    /**
     * Sets what happens to sessions sent to the project, as XNAT numbers it: 0 keeps them in the prearchive for
     * review, 4 archives them automatically.
     *
     * @param code 0 to 4
     * @return completes when the server has stored it
     * @throws IllegalArgumentException for a code outside 0..4 (thrown when called)
     */
    public Mono<Void> setPrearchiveCode(int code) {
        if (code < 0 || code > 4) {
            throw new IllegalArgumentException("prearchive code must be 0..4");
        }
        return setPlain("prearchive_code", Integer.toString(code));
    }

    /**
     * Reads whether new sessions of the project are quarantined.
     *
     * @return 1 when they are, 0 when not
     */
    public Mono<Integer> quarantineCode() {
        return plain("quarantine_code").map(ProjectRef::integer);
    }

    /**
     * Sets whether new sessions of the project are quarantined.
     *
     * @param code 1 to quarantine, 0 not to
     * @return completes when the server has stored it
     * @throws IllegalArgumentException for another code (thrown when called)
     */
    public Mono<Void> setQuarantineCode(int code) {
        if (code != 0 && code != 1) {
            throw new IllegalArgumentException("quarantine code must be 0 or 1");
        }
        return setPlain("quarantine_code", Integer.toString(code));
    }

    /**
     * Reads the archive folder new sessions of the project are stored in.
     *
     * @return the folder name, e.g. {@code arc001}
     */
    public Mono<String> currentArc() {
        return plain("current_arc");
    }

    /**
     * Sets the archive folder new sessions of the project are stored in.
     *
     * @param folder the folder name, e.g. {@code arc002}
     * @return completes when the server has stored it
     */
    public Mono<Void> setCurrentArc(String folder) {
        return setPlain("current_arc", folder);
    }

    /**
     * Makes new sessions go to a subfolder of the current archive folder, as pyxnat's
     * {@code set_subfolder_in_current_arc} does: reads the current folder ({@code arc001}), then sends
     * {@code PUT .../current_arc/arc001/{subfolder}}, which XNAT stores whole ({@code arc001/{subfolder}}).
     *
     * @param subfolder the subfolder, one name, e.g. {@code batch2}
     * @return completes when the server has stored {@code {current}/{subfolder}}
     */
    public Mono<Void> setSubfolderInCurrentArc(String subfolder) {
        return currentArc().flatMap(current -> {
            StringBuilder p = new StringBuilder(path).append("/current_arc");
            for (String segment : current.split("/")) {
                p.append('/').append(Uris.segment(segment));
            }
            p.append('/').append(Uris.segment(subfolder));
            return client.transport()
                    .discard(Request.put(p.toString())
                            .template(template + "/current_arc/{current}/{subfolder}")
                            .build());
        });
    }

    /**
     * Lists the project's aliases: other IDs it can be reached by.
     *
     * @return the aliases; none when the project has none or is not visible
     */
    public Flux<String> aliases() {
        return client.rows("/data/projects", "/data/projects", Map.of("columns", "ID,alias"))
                .filter(r -> id.equals(r.get("ID")))
                .map(r -> r.getOrDefault("alias", ""))
                .filter(a -> !a.isEmpty());
    }

    /**
     * Adds an alias to the project.
     *
     * @param alias another ID the project can then be reached by
     * @return completes when the server has stored it
     */
    public Mono<Void> addAlias(String alias) {
        return put(Map.of("alias", alias)).then();
    }

    /**
     * Reads the project's description.
     *
     * @return the description, "" when it has none
     */
    public Mono<String> description() {
        return fields().map(f -> f.getOrDefault("description", ""));
    }

    /**
     * Sets the project's description.
     *
     * @param description the new description
     * @return completes when the server has stored it
     */
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
