package io.github.xnatreactive.testkit.internal;

import java.util.Map;

/**
 * Applies an XML document to the object it was sent to (contract 4.1): its fields merge onto the stored ones, or,
 * with {@code allowDataDeletion=true}, replace them (fields the document leaves out are removed); a session's
 * document creates or updates the scans, reconstructions and assessors it holds (scans and reconstructions found
 * by ID, assessors by label). Objects a document leaves out are kept: XNAT's deletion of omitted children is not
 * modelled.
 */
final class DocumentWrites {
    private DocumentWrites() {}

    static void apply(Call c, Item it, Documents.Parsed doc) {
        if (doc == null) {
            return;
        }
        if (c.query.flag("allowDataDeletion")) {
            it.fields.keySet().removeIf(k -> !doc.fields().containsKey(k) && !k.equals("type"));
        }
        for (Map.Entry<String, String> f : doc.fields().entrySet()) {
            Fields.setField(it, f.getKey(), f.getValue());
        }
        if (it.kind == Kind.SESSION) {
            for (Documents.Child child : doc.children()) {
                apply(c, child(c, it, child), child.doc());
            }
        }
    }

    /** The stored scan, reconstruction or assessor a session's document names; created when missing. */
    private static Item child(Call c, Item session, Documents.Child child) {
        Documents.Parsed d = child.doc();
        Kind kind = child.kind();
        String ref = kind == Kind.ASSESSOR ? (d.label() != null ? d.label() : d.id()) : d.id();
        if (ref == null) {
            throw XnatError.badRequest(
                    "A " + kind.word() + " in the document has no " + (kind == Kind.ASSESSOR ? "label" : "ID") + ".");
        }
        Item existing = c.store.child(session, kind, ref);
        if (existing == null) {
            if (kind == Kind.ASSESSOR) {
                return c.store.createAssessor(session, ref, d.xsiType(), c.user);
            }
            return c.store.createSessionChild(session, kind, ref, d.xsiType(), c.user);
        }
        if (!existing.xsiType.equalsIgnoreCase(d.xsiType())) {
            throw XnatError.conflict("Cannot change the data type of " + kind.word() + " " + existing.id + " from "
                    + existing.xsiType + " to " + d.xsiType() + ".");
        }
        return existing;
    }
}
