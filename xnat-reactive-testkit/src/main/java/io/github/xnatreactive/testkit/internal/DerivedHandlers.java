package io.github.xnatreactive.testkit.internal;

/** Scans, assessors and reconstructions of a session (contract sections 3 and 4). */
final class DerivedHandlers {
    private DerivedHandlers() {}

    private static Level levelOf(Kind k) {
        return switch (k) {
            case SCAN -> Level.SCANS;
            case ASSESSOR -> Level.ASSESSORS;
            default -> Level.RECONSTRUCTIONS;
        };
    }

    static Reply list(Call c, Target.DerivedList t) {
        Item via = Targets.urlProject(c);
        java.util.List<Item> rows = new java.util.ArrayList<>();
        for (Item it : t.session().children(t.kind())) {
            rows.add(SharingHandlers.viewIn(it, via));
        }
        return levelOf(t.kind()).list(rows, c.query).render(c.query.get("format"));
    }

    /** {@code POST .../scans} (or assessors, reconstructions) with {@code ID=}/{@code label=} and a type. */
    static Reply create(Call c, Target.DerivedList t) {
        Kind kind = t.kind();
        Item session = t.session();
        Documents.Parsed doc = Fields.xmlBody(c);
        String id = c.query.get(
                kind == Kind.ASSESSOR ? "label" : "ID",
                doc == null ? null : (kind == Kind.ASSESSOR ? doc.label() : doc.id()));
        String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
        if (id == null || type == null) {
            throw new XnatError(417, "Need PUT Contents");
        }
        if (c.store.child(session, kind, id) != null) {
            throw XnatError.conflict("Specified " + kind.word() + " already exists.");
        }
        Item created = create(c, session, kind, id, type);
        Fields.applyFields(c, created, doc, levelOf(kind));
        String base = c.baseUrl + "/data/experiments/" + session.id + "/" + kind.word() + "s/" + created.id;
        return Reply.text(
                200, "text/plain", kind == Kind.ASSESSOR ? c.baseUrl + "/data/experiments/" + created.id : base);
    }

    private static Item create(Call c, Item session, Kind kind, String ref, String type) {
        if (kind == Kind.ASSESSOR) {
            return c.store.createAssessor(session, ref, type, c.user);
        }
        if (kind == Kind.SCAN && type.equalsIgnoreCase("xnat:imageScanData")) {
            throw XnatError.badRequest(
                    "xnat:imageScanData is abstract: give a concrete scan type such as" + " xnat:mrScanData.");
        }
        return c.store.createSessionChild(session, kind, ref, type, c.user);
    }

    static Reply get(Call c, Target.Derived t) {
        if (t.item() == null) {
            throw XnatError.notFound("Unable to find the specified " + t.kind().word() + ".");
        }
        return Fields.document(c, t.item());
    }

    /** Creates the scan, assessor or reconstruction, or changes it. */
    static Reply put(Call c, Target.Derived t) {
        Kind kind = t.kind();
        Item child = t.item();
        Documents.Parsed doc = Fields.xmlBody(c);
        String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
        if (child == null) {
            if (type == null && kind == Kind.RECONSTRUCTION) {
                type = "xnat:reconstructedImageData";
            }
            if (type == null) {
                throw new XnatError(417, "Need PUT Contents");
            }
            String ref = kind == Kind.ASSESSOR
                    ? c.query.get("label", doc != null && doc.label() != null ? doc.label() : t.ref())
                    : t.ref();
            child = create(c, t.session(), kind, ref, type);
            Fields.applyFields(c, child, doc, levelOf(kind));
            return kind == Kind.ASSESSOR ? Reply.text(201, "text/plain", child.id) : Reply.empty(200);
        }
        if (type != null && !type.equalsIgnoreCase(child.xsiType)) {
            throw XnatError.conflict("Cannot change the data type of " + kind.word() + " " + child.id + " from "
                    + child.xsiType + " to " + type + ".");
        }
        if (kind == Kind.ASSESSOR) {
            Fields.rename(c, child);
        }
        Fields.applyFields(c, child, doc, levelOf(kind));
        return kind == Kind.ASSESSOR ? Reply.text(200, "text/plain", child.id) : Reply.empty(200);
    }

    static Reply delete(Call c, Target.Derived t) {
        if (t.item() == null) {
            throw XnatError.notFound("Unable to find the specified " + t.kind().word() + ".");
        }
        if (SharingHandlers.deletedShare(c, t.item())) {
            return Reply.empty(200);
        }
        Fields.requireDelete(c, t.item());
        c.store.deleteItem(t.item(), c.query.flag("removeFiles"));
        return Reply.empty(200);
    }
}
