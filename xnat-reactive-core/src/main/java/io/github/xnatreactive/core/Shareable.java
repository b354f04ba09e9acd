package io.github.xnatreactive.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What can be shared into other projects: subjects, experiments and assessors ({@code {item}/projects}). A shared
 * item is listed in the other project under its label there and read through that project's URLs with that
 * project's rights; deleting it through the other project removes only the share.
 *
 * <pre>{@code
 * SubjectRef s = xnat.project("LAB").subject("S010");
 * s.create().block();
 * xnat.project("TEAM").create().block();
 * s.share("TEAM", "TEAM_S010", false).block();
 * List<String> inTeam = xnat.project("TEAM").subjects().map(Subject::label).collectList().block(); // [TEAM_S010]
 * List<Share> shares = s.shares().collectList().block(); // LAB (primary), TEAM as TEAM_S010
 * s.unshare("TEAM").block();
 * }</pre>
 */
public sealed interface Shareable permits SubjectRef, ExperimentRef, AssessorRef {
    /**
     * Lists the projects this item is in: its own project ({@link Share#primary()}) and those it is shared into,
     * each with its label there ({@code GET .../projects}).
     *
     * @return the projects, its own first
     */
    default Flux<Share> shares() {
        return Sharing.shares((ArchiveRef) this);
    }

    /**
     * Shares this item into another project under its current label: see {@link #share(String, String, boolean)}.
     *
     * @param project the project to share it into
     * @return completes when the server has shared it
     */
    default Mono<Void> share(String project) {
        return Sharing.share((ArchiveRef) this, project, null, false);
    }

    /**
     * Shares this item into another project ({@code PUT .../projects/{project}?label=&primary=}). With
     * {@code primary} the other project becomes its owner (the user must own both projects; an experiment's subject
     * must be in that project already) and its current project keeps it as a share under its current label. Needs
     * create rights in the other project.
     *
     * @param project the project to share it into
     * @param label its label there; null for its current label
     * @param primary true to move ownership to {@code project}
     * @return completes when the server has shared it; {@link XnatConflictException} when it is already in that
     *     project or the label is taken there, {@link XnatForbiddenException} without create rights there,
     *     {@link XnatNotFoundException} when that project is not visible
     */
    default Mono<Void> share(String project, String label, boolean primary) {
        return Sharing.share((ArchiveRef) this, project, label, primary);
    }

    /**
     * Removes this item's share in another project ({@code DELETE .../projects/{project}}); the item stays in its
     * own project. Needs delete rights in the other project.
     *
     * @param project a project the item is shared into (not its own)
     * @return completes when the share is gone; {@link XnatNotFoundException} when it was not shared there,
     *     {@link XnatHttpException} (400) for its own project
     */
    default Mono<Void> unshare(String project) {
        return Sharing.unshare((ArchiveRef) this, project);
    }
}
