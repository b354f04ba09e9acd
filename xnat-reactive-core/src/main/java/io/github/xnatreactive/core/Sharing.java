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
        Request.Builder b = Request.put(item.path + "/projects/" + Uris.segment(project))
                .template(item.template + "/projects/{target}");
        if (label != null) {
            b.param("label", label);
        }
        if (primary) {
            b.param("primary", "true");
        }
        return item.client.transport().discard(b.build());
    }

    static Mono<Void> unshare(ArchiveRef item, String project) {
        return item.client
                .transport()
                .discard(Request.delete(item.path + "/projects/" + Uris.segment(project))
                        .template(item.template + "/projects/{target}")
                        .build());
    }
}
