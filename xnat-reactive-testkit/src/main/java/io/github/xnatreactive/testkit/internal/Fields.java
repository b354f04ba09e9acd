package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the object handlers share (contract section 4): reading the XML or form body, applying fields from it and
 * from query parameters, the object document in XML, JSON or HTML, renames and delete permissions.
 */
final class Fields {
    /** Query parameters that never set a field on PUT. */
    private static final Set<String> NOT_FIELDS = Set.of(
            "xsitype",
            "format",
            "inbody",
            "req_format",
            "event_reason",
            "event_type",
            "event_action",
            "event_comment",
            "event_id",
            "allowdatadeletion",
            "loaddexisting",
            "loadexisting",
            "removefiles",
            "overwrite",
            "label",
            "id",
            "project",
            "columns",
            "triggerpipelines",
            "fixscantypes",
            "pulldatafromheaders",
            "accessibility",
            "alias",
            "subject_id",
            "primary",
            "_");

    private Fields() {}

    static void requireDelete(Call c, Item item) {
        if (item == null) {
            throw XnatError.notFound("Unable to find the specified experiment.");
        }
        if (!Access.canDelete(c.user, item.project)) {
            throw XnatError.forbidden("Access Denied: you cannot delete " + item.kind.word() + " " + item.label + ".");
        }
    }

    static Reply document(Call c, Item it) {
        String format = c.query.get("format");
        String f = format == null ? "html" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "xml", "text/xml" -> Reply.text(200, "text/xml", Documents.xml(it, c.baseUrl));
            case "json", "application/json" -> Reply.text(200, "application/json", Documents.json(it));
            case "html", "text/html" ->
                Reply.text(
                        200,
                        "text/html",
                        "<html><body><h2>" + Pages.escape(it.xsiType) + " " + Pages.escape(it.label) + "</h2><pre>"
                                + Pages.escape(Documents.xml(it, c.baseUrl)) + "</pre></body></html>");
            default -> throw XnatError.badRequest("Unsupported format: " + format);
        };
    }

    /** {@code label=NEW} on an existing subject, experiment or assessor renames it (contract 4.2). */
    static void rename(Call c, Item it) {
        String label = c.query.get("label");
        if (label != null && !label.equals(it.label)) {
            c.store.rename(it, label);
        }
    }

    static void checkXmlLabel(Documents.Parsed doc, Item it) {
        if (doc != null && doc.label() != null && !doc.label().equals(it.label)) {
            throw XnatError.badRequest("Label must be modified through separate URI.");
        }
    }

    static void checkProjectParam(Call c, Documents.Parsed doc, Item project) {
        String p = c.query.get("project", doc == null ? null : doc.project());
        if (p != null && project != null && !p.equals(project.id) && !project.aliases.contains(p)) {
            throw XnatError.conflict("Project must be modified through separate URI.");
        }
    }

    /** The XML document in the body (raw XML, or a multipart part whose filename ends with .xml), or null. */
    static Documents.Parsed xmlBody(Call c) {
        if (c.body == null) {
            return null;
        }
        try {
            String ct = c.contentType().toLowerCase(Locale.ROOT);
            if (ct.startsWith("multipart/form-data")) {
                for (Multipart.Part part :
                        Multipart.parse(c.body.file(), Multipart.boundary(c.contentType()), c.store)) {
                    if (part.file() != null) {
                        try {
                            if (part.filename().toLowerCase(Locale.ROOT).endsWith(".xml")) {
                                return Documents.parse(Files.readAllBytes(part.file()));
                            }
                        } finally {
                            Router.deleteQuietly(part.file());
                        }
                    } else if (part.name() != null) {
                        c.query
                                .asMap()
                                .computeIfAbsent(part.name(), k -> new ArrayList<>())
                                .add(part.value());
                    }
                }
                return null;
            }
            if (ct.startsWith("application/x-www-form-urlencoded")) {
                c.query.addAll(Files.readString(c.body.file(), StandardCharsets.UTF_8));
                return null;
            }
            return Documents.parse(Files.readAllBytes(c.body.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies XML fields, then query parameters (XPaths and the level's short names) on top (contract 4.1). */
    static void applyFields(Call c, Item it, Documents.Parsed doc, Level level) {
        DocumentWrites.apply(c, it, doc);
        for (Map.Entry<String, List<String>> e : c.query.asMap().entrySet()) {
            String name = e.getKey();
            if (e.getValue().isEmpty() || NOT_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = e.getValue().get(e.getValue().size() - 1);
            if (name.indexOf('/') > 0) {
                XPath x = XPath.parse(name);
                if (x.element() != null
                        && x.element().equalsIgnoreCase("xnat:subjectData")
                        && it.kind != Kind.SUBJECT) {
                    continue;
                }
                if (x.key().equals("label")) {
                    if (it.kind != Kind.PROJECT) {
                        throw XnatError.badRequest("Label must be modified through separate URI.");
                    }
                    continue;
                }
                if (x.isPlainField()) {
                    setField(it, x.key(), value);
                }
            } else {
                String key = level.fieldKey(name);
                if (key != null) {
                    setField(it, key, value);
                }
            }
        }
    }

    /** Stores one field, as its schema type writes it (a value the type cannot hold is a 400). */
    static void setField(Item it, String key, String value) {
        if (it.kind == Kind.PROJECT && key.equals("aliases/alias")) {
            if (!it.aliases.contains(value)) {
                it.aliases.add(value);
            }
            return;
        }
        it.fields.put(key, DocSchema.canonical(key, value));
    }
}
