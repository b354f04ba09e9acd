package io.github.xnatreactive.kafka;

import io.github.xnatreactive.core.Project;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a migration covers: the source's projects (all it lists, or those named), then each project's sessions, as
 * one {@link MigrationTask} per session. A mirror keeps each project's ID at the destination and creates the
 * projects the destination lacks (with the source's name and description) as it lists them.
 *
 * <p>Example: {@code MigrationPlan.mirror("site-2026", source, destination).projects(List.of("P1")).tasks()}
 */
public final class MigrationPlan {
    private final String job;
    private final MigrationTask.Action action;
    private final XnatClient source;
    private final XnatClient destination;
    private final Path folder;
    private final List<String> projects;

    private MigrationPlan(
            String job,
            MigrationTask.Action action,
            XnatClient source,
            XnatClient destination,
            Path folder,
            List<String> projects) {
        this.job = MigrationTopics.of(job).job();
        this.action = action;
        this.source = Objects.requireNonNull(source);
        this.destination = destination;
        this.folder = folder;
        this.projects = List.copyOf(projects);
    }

    /**
     * A mirror of the source's sessions to another server, project by project under the same IDs.
     *
     * @param job the job's ID
     * @param source the server to read
     * @param destination the server to copy to
     * @return the plan of every project the source lists
     * @throws IllegalArgumentException when the job ID is not valid
     */
    public static MigrationPlan mirror(String job, XnatClient source, XnatClient destination) {
        return new MigrationPlan(
                job, MigrationTask.Action.MIRROR, source, Objects.requireNonNull(destination), null, List.of());
    }

    /**
     * A download of the source's sessions into a folder (each session under {@code PROJECT/SUBJECT/SESSION}).
     *
     * @param job the job's ID
     * @param source the server to read
     * @param folder the folder every worker writes to (a shared file system when workers run on several machines)
     * @return the plan of every project the source lists
     * @throws IllegalArgumentException when the job ID is not valid
     */
    public static MigrationPlan download(String job, XnatClient source, Path folder) {
        return new MigrationPlan(
                job,
                MigrationTask.Action.DOWNLOAD,
                source,
                null,
                folder.toAbsolutePath().normalize(),
                List.of());
    }

    /**
     * The same plan limited to some projects.
     *
     * @param ids project IDs on the source; empty for every project the source lists
     * @return a new plan
     */
    public MigrationPlan projects(List<String> ids) {
        return new MigrationPlan(job, action, source, destination, folder, ids);
    }

    /**
     * The job's ID.
     *
     * @return the job this plan writes tasks for
     */
    public String job() {
        return job;
    }

    /**
     * Lists the projects, then the sessions of each; for a mirror, creates each project that the destination
     * lacks before listing its sessions.
     *
     * @return one task per session, in the source's order; fails with the server's error when a listing fails
     */
    public Flux<MigrationTask> tasks() {
        Flux<String> ids = projects.isEmpty() ? source.projects().map(Project::id) : Flux.fromIterable(projects);
        return ids.concatMap(p -> prepare(p)
                .thenMany(source.project(p)
                        .experiments()
                        .map(e -> new MigrationTask(
                                job,
                                action,
                                source.serverUrl(),
                                p,
                                e.id(),
                                e.label(),
                                action == MigrationTask.Action.MIRROR ? destination.serverUrl() : folder.toString(),
                                action == MigrationTask.Action.MIRROR ? p : ""))));
    }

    private Mono<Void> prepare(String project) {
        if (action != MigrationTask.Action.MIRROR) {
            return Mono.empty();
        }
        return destination
                .project(project)
                .exists()
                .flatMap(there -> there
                        ? Mono.<Void>empty()
                        : source.project(project)
                                .get()
                                .flatMap(p -> destination
                                        .project(project)
                                        .create(Map.of(
                                                "name",
                                                p.name().isEmpty() ? project : p.name(),
                                                "description",
                                                p.description())))
                                .then());
    }

    @Override
    public String toString() {
        return "MigrationPlan[" + job + ", " + action + " from " + source.serverUrl() + " to "
                + (destination != null ? destination.serverUrl() : folder)
                + (projects.isEmpty() ? "" : ", projects " + projects) + "]";
    }
}
