package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.bulk.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * The one walk over a session's tree (session -> scans, session resources, assessors, reconstructions ->
 * resources, with the {@code in} and {@code out} resources of assessors and reconstructions), filtered by a
 * {@link Selection}, whatever holds the tree (a server's listings or a downloaded folder). The download, upload and
 * mirror planners map its nodes to work. It streams: a node is emitted as soon as its listing row arrives.
 */
final class Walker {
    private Walker() {}

    enum Kind {
        SESSION,
        SCAN,
        ASSESSOR,
        RECONSTRUCTION
    }

    /**
     * An object that holds resources.
     *
     * @param id the scan ID, the assessor or reconstruction ID (for the session, its ID or label)
     * @param label the assessor's label (null for the others)
     * @param type the scan or reconstruction type
     * @param fields descriptive fields (a scan's quality, series description, note)
     * @param dir the folder that holds it in the local layout (under {@code scans/}, {@code assessors/}...)
     */
    record Owner(
            Kind kind, String id, String label, String xsiType, String type, Map<String, String> fields, String dir) {}

    /** A resource as listed: its label, and format and content when known. */
    record Res(String label, String format, String content) {}

    /**
     * A visit: an owner itself ({@code resource} null), always before its resources; or one of its resources, with
     * {@code direction} {@code in} or {@code out} for the directed resources of assessors and reconstructions.
     */
    record Node(Owner owner, String direction, Res resource) {}

    /** The listings a walk reads. */
    interface Tree {
        Flux<Owner> children(Kind kind);

        Flux<Res> resources(Owner owner, String direction);
    }

    /** Every selected node of the session's tree, in a stable order; the listings of its parts run concurrently. */
    static Flux<Node> walk(Tree tree, Owner session, Selection sel) {
        List<Flux<Node>> parts = new ArrayList<>();
        parts.add(Flux.just(new Node(session, null, null)));
        parts.add(tree.children(Kind.SCAN)
                .filter(s -> sel.includesScan(s.id(), s.type()))
                .concatMap(s -> owner(tree, s, sel, false)));
        if (sel.includesSessionResources()) {
            parts.add(resources(tree, session, null, sel));
        }
        if (sel.includesAssessors()) {
            parts.add(tree.children(Kind.ASSESSOR).concatMap(a -> owner(tree, a, sel, true)));
        }
        if (sel.includesReconstructions()) {
            parts.add(tree.children(Kind.RECONSTRUCTION).concatMap(r -> owner(tree, r, sel, true)));
        }
        return Flux.mergeSequential(parts);
    }

    private static Flux<Node> owner(Tree tree, Owner o, Selection sel, boolean directed) {
        Flux<Node> self = Flux.just(new Node(o, null, null));
        Flux<Node> plain = resources(tree, o, null, sel);
        return directed
                ? Flux.concat(self, plain, resources(tree, o, "in", sel), resources(tree, o, "out", sel))
                : Flux.concat(self, plain);
    }

    private static Flux<Node> resources(Tree tree, Owner o, String direction, Selection sel) {
        return tree.resources(o, direction)
                .filter(r -> sel.includesResource(r.label()))
                .map(r -> new Node(o, direction, r));
    }
}
