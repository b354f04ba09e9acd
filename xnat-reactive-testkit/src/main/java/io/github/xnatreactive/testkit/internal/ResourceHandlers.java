package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resources (catalogs, contract section 5): the listing of an object's resources, creation, catalog, deletion. */
final class ResourceHandlers {
    private ResourceHandlers() {}

    /** {@code GET .../resources}: one row per resource ({@code all=true} on a session adds its scans' too). */
    static Reply list(Call c, Target.Catalogs target) {
        String direction = target.owners().direction();
        Table t = new Table(List.of(
                "xnat_abstractresource_id",
                "label",
                "element_name",
                "category",
                "cat_id",
                "cat_desc",
                "file_count",
                "file_size",
                "tags",
                "content",
                "format"));
        for (Item owner : target.owners().items()) {
            List<Resource> list = new ArrayList<>(c.store.resources(owner, direction));
            if (owner.kind == Kind.SESSION && c.query.flag("all")) {
                for (Item child : owner.children) {
                    list.addAll(child.resources);
                }
            }
            for (Resource res : list) {
                Map<String, String> row = t.addRow();
                row.put("xnat_abstractresource_id", Long.toString(res.id));
                row.put("label", res.label);
                row.put("element_name", "xnat:resourceCatalog");
                row.put("category", category(res.owner));
                boolean child = res.owner.kind == Kind.SCAN
                        || res.owner.kind == Kind.RECONSTRUCTION
                        || res.owner.kind == Kind.ASSESSOR;
                row.put("cat_id", child ? res.owner.id : "");
                row.put("cat_desc", res.owner.kind == Kind.SCAN ? res.owner.field("type") : "");
                row.put("file_count", Integer.toString(res.files.size()));
                row.put("file_size", Long.toString(res.totalSize()));
                row.put("tags", String.join(",", res.tags));
                row.put("content", res.content);
                row.put("format", res.format);
            }
        }
        t.meta.put("title", "Resources");
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    private static String category(Item owner) {
        return switch (owner.kind) {
            case SCAN -> "scans";
            case RECONSTRUCTION -> "reconstructions";
            case ASSESSOR -> "assessors";
            default -> "resources";
        };
    }

    private static Item owner(Target.Catalog t) {
        if (t.owners().items().size() != 1) {
            throw XnatError.badRequest("A resource URL must name a single object.");
        }
        return t.owners().items().get(0);
    }

    private static Resource find(Call c, Target.Catalog t) {
        return c.store.resource(owner(t), t.owners().direction(), t.ref());
    }

    /** The catalog document of one resource. */
    static Reply get(Call c, Target.Catalog t) {
        Resource res = find(c, t);
        if (res == null) {
            throw XnatError.notFound("Unable to find the specified catalog.");
        }
        return Reply.text(200, "text/xml", catalogXml(res));
    }

    /** Creates an empty resource with {@code format}, {@code content}, {@code description} and {@code tags}. */
    static Reply create(Call c, Target.Catalog t) {
        if (find(c, t) != null) {
            throw XnatError.conflict("Specified resource already exists.");
        }
        describe(c, c.store.createResource(owner(t), t.owners().direction(), t.ref()));
        return Reply.empty(200);
    }

    /** Deletes the resource with its files (200 whether or not it existed). */
    static Reply delete(Call c, Target.Catalog t) {
        Resource res = find(c, t);
        if (res != null) {
            c.store.deleteResource(res, true);
        }
        return Reply.empty(200);
    }

    static void describe(Call c, Resource res) {
        res.format = c.query.get("format", res.format);
        res.content = c.query.get("content", res.content);
        res.description = c.query.get("description", res.description);
        for (String tag : c.query.all("tags")) {
            if (!tag.isEmpty() && !res.tags.contains(tag)) {
                res.tags.add(tag);
            }
        }
    }

    private static String catalogXml(Resource res) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cat:Catalog ID=\"")
                .append(res.id)
                .append("\" label=\"")
                .append(Pages.escape(res.label))
                .append(
                        "\" xmlns:cat=\"http://nrg.wustl.edu/catalog\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
                .append("  <cat:entries>\n");
        for (Resource.CatalogFile f : res.files.values()) {
            b.append("    <cat:entry URI=\"")
                    .append(Pages.escape(f.path()))
                    .append("\" ID=\"")
                    .append(Pages.escape(f.path()))
                    .append("\" name=\"")
                    .append(Pages.escape(f.name()))
                    .append("\" digest=\"")
                    .append(f.md5())
                    .append("\" format=\"")
                    .append(Pages.escape(f.format()))
                    .append("\" content=\"")
                    .append(Pages.escape(f.content()))
                    .append("\"/>\n");
        }
        return b.append("  </cat:entries>\n</cat:Catalog>\n").toString();
    }
}
