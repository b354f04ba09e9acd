package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.ResourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * A session's tree read from the session's JSON document (which XNAT nests: scans, reconstructions and assessors
 * with their resources), and its files from one listing of the whole session ({@code files?all=true}): two
 * requests per session instead of one per listing of the walk. The two cross-check each other so that nothing is
 * skipped silently: {@link #of} gives up (the caller walks the listings instead) when the listing has a file in a
 * resource the document does not name, and a resource of the document with no file in the listing is listed on
 * its own.
 */
final class DocumentTree implements Walker.Tree {
    /** Children collections of a session, by the kind of their items (the element names XNAT writes). */
    private static final Map<Walker.Kind, String> CHILDREN = Map.of(
            Walker.Kind.SCAN, "scans/scan",
            Walker.Kind.RECONSTRUCTION, "reconstructions/reconstructedImage",
            Walker.Kind.ASSESSOR, "assessors/assessor");

    /** A resource of the document: where it is, and its numeric ID (null when the document gives none). */
    private record Entry(Walker.Res res, String id) {}

    private final Map<String, List<Entry>> resources = new HashMap<>();
    private final Map<Walker.Kind, List<Walker.Owner>> children = new HashMap<>();
    private final Map<String, List<FileEntry>> filesById;

    private DocumentTree(Map<String, List<FileEntry>> filesById) {
        this.filesById = filesById;
    }

    /**
     * The tree of a session's document {@code item} ({@code items[0]} of its JSON) with the files of its
     * all-files listing, or null when the two disagree in a way only the per-object listings can settle (a listed
     * file in a resource the document does not have, a resource without an ID).
     */
    static DocumentTree of(JsonNode item, List<FileEntry> allFiles) {
        Map<String, List<FileEntry>> byId = new HashMap<>();
        for (FileEntry f : allFiles) {
            String id = resourceId(f);
            if (id == null) {
                return null;
            }
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
        }
        DocumentTree t = new DocumentTree(byId);
        Set<String> ids = new HashSet<>();
        t.readResources(key(Walker.Kind.SESSION, ""), item, ids);
        for (Map.Entry<Walker.Kind, String> c : CHILDREN.entrySet()) {
            List<Walker.Owner> owners = new ArrayList<>();
            for (JsonNode child : group(item, c.getValue())) {
                Walker.Owner o = owner(c.getKey(), child);
                if (o == null) {
                    return null;
                }
                owners.add(o);
                t.readResources(key(o.kind(), o.id()), child, ids);
            }
            t.children.put(c.getKey(), owners);
        }
        if (!ids.containsAll(byId.keySet())) {
            return null; // the listing has files in a resource the document does not show
        }
        return t;
    }

    @Override
    public Flux<Walker.Owner> children(Walker.Kind kind) {
        return Flux.fromIterable(children.getOrDefault(kind, List.of()));
    }

    @Override
    public Flux<Walker.Res> resources(Walker.Owner owner, String direction) {
        return Flux.fromIterable(entries(owner, direction)).map(Entry::res);
    }

    /**
     * The files of a resource: from the session's listing, or, for a resource that has none there, its own
     * listing (an empty resource costs one request; a resource the all-files listing left out is not skipped).
     */
    Flux<FileEntry> files(Walker.Owner owner, String direction, Walker.Res res, ResourceRef ref) {
        for (Entry e : entries(owner, direction)) {
            if (e.res() == res && e.id() != null) {
                List<FileEntry> listed = filesById.get(e.id());
                if (listed != null) {
                    return Flux.fromIterable(listed);
                }
            }
        }
        return ref.files();
    }

    private List<Entry> entries(Walker.Owner owner, String direction) {
        return resources.getOrDefault(resourcesKey(key(owner.kind(), owner.id()), direction), List.of());
    }

    private static String resourcesKey(String ownerKey, String direction) {
        return ownerKey + "|" + direction;
    }

    // ------------------------------------------------------------------ reading the document

    private void readResources(String ownerKey, JsonNode item, Set<String> ids) {
        for (JsonNode g : item.path("children")) {
            String field = g.path("field").asString("");
            String direction = field.startsWith("in/") ? "in" : field.startsWith("out/") ? "out" : null;
            String leaf = field.substring(field.lastIndexOf('/') + 1);
            if (!leaf.equals("file") && !leaf.equals("resource")) {
                continue;
            }
            for (JsonNode r : g.path("items")) {
                JsonNode d = r.path("data_fields");
                String label = d.path("label").asString("");
                String id = d.path("xnat_abstractresource_id").asString("");
                Walker.Res res = new Walker.Res(label.isEmpty() ? id : label, text(d, "format"), text(d, "content"));
                resources
                        .computeIfAbsent(resourcesKey(ownerKey, direction), k -> new ArrayList<>())
                        .add(new Entry(res, id.isEmpty() ? null : id));
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
    }

    private static Walker.Owner owner(Walker.Kind kind, JsonNode child) {
        JsonNode d = child.path("data_fields");
        String id = d.path("ID").asString("");
        if (id.isEmpty()) {
            return null;
        }
        String xsiType = child.path("meta").path("xsi:type").asString("");
        String type = text(d, "type");
        return switch (kind) {
            case SCAN -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String f : List.of("quality", "series_description", "note")) {
                    String v = text(d, f);
                    if (v != null && !v.isEmpty()) {
                        fields.put(f, v);
                    }
                }
                yield new Walker.Owner(kind, id, null, xsiType, type, fields, SessionMetadata.scanDir(id, type));
            }
            case ASSESSOR -> {
                String label = d.path("label").asString(id);
                yield new Walker.Owner(kind, id, label, xsiType, null, Map.of(), SessionMetadata.safe(label));
            }
            case RECONSTRUCTION ->
                new Walker.Owner(
                        kind,
                        id,
                        null,
                        xsiType.isEmpty() ? "xnat:reconstructedImageData" : xsiType,
                        type,
                        Map.of(),
                        SessionMetadata.safe(id));
            case SESSION -> null;
        };
    }

    private static Iterable<JsonNode> group(JsonNode item, String field) {
        for (JsonNode g : item.path("children")) {
            if (g.path("field").asString("").equals(field)) {
                return g.path("items");
            }
        }
        return List.of();
    }

    private static String text(JsonNode d, String name) {
        JsonNode v = d.get(name);
        return v == null || v.isNull() ? null : v.asString();
    }

    /** An owner's key: its kind and ID (the session is the one session of the tree, whatever its ID). */
    private static String key(Walker.Kind kind, String id) {
        return kind == Walker.Kind.SESSION ? "SESSION" : kind + "/" + id;
    }

    /** The numeric resource ID of a listed file: its {@code cat_ID}, or the segment before {@code /files/}. */
    static String resourceId(FileEntry f) {
        String cat = f.column("cat_ID");
        if (!cat.isEmpty()) {
            return cat;
        }
        String uri = f.uri();
        int files = uri.indexOf("/files/");
        int res = files < 0 ? -1 : uri.lastIndexOf("/resources/", files);
        return res < 0 ? null : uri.substring(res + "/resources/".length(), files);
    }
}
