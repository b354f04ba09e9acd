package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Sharing a subject, experiment or assessor into other projects: {@code {item}/projects[/{P2}]}. */
final class Sharing {
    private Sharing() {}

    static Flux<Share> shares(ArchiveRef item) {
        return item.client
                .rows(item.path + "/projects", item.template + "/projects", Map.of())
                .map(Share::from);
    }

    static Mono<Void> share(ArchiveRef item, String project, String label, boolean primary) {
        return byIdOrAlias(item, project, id -> {
            Request.Builder b = Request.put(item.path + "/projects/" + Uris.segment(id))
                    .template(item.template + "/projects/{target}");
            if (label != null) {
                b.param("label", label);
            }
            if (primary) {
                b.param("primary", "true");
            }
            return item.client.transport().discard(b.build());
        });
    }

    static Mono<Void> unshare(ArchiveRef item, String project) {
        return byIdOrAlias(item, project, id -> item.client
                .transport()
                .discard(Request.delete(item.path + "/projects/" + Uris.segment(id))
                        .template(item.template + "/projects/{target}")
                        .build()));
    }

    /**
     * Runs {@code call} with the project as given; XNAT looks the other project of a share up by its ID only
     * ({@code getXnatProjectdatasById}), so when it answers 404 and {@code project} is an alias (the project's own
     * URL resolves it to another ID), runs {@code call} once more with that ID. Any other failure, or a 404 for a
     * project that is no alias, is the caller's.
     */
    private static Mono<Void> byIdOrAlias(
            ArchiveRef item, String project, java.util.function.Function<String, Mono<Void>> call) {
        return call.apply(project).onErrorResume(XnatNotFoundException.class, notFound -> item.client
                .project(project)
                .get()
                .onErrorResume(XnatNotFoundException.class, e -> Mono.empty())
                .map(Project::id)
                .filter(id -> !id.isEmpty() && !id.equals(project))
                .switchIfEmpty(Mono.error(notFound))
                .flatMap(call));
    }
}
