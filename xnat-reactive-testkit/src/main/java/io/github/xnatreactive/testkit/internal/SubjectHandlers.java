package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/** Subjects (contract sections 3 and 4): listing, creation, the subject document, renames, deletion. */
final class SubjectHandlers {
    private SubjectHandlers() {}

    /** A project's subjects, or every subject the caller can read. */
    static Reply list(Call c, Target.Subjects t) {
        List<Item> subjects = new ArrayList<>();
        if (t.project() != null) {
            subjects.addAll(t.project().children);
            subjects.addAll(SharingHandlers.sharedViews(t.project(), Kind.SUBJECT));
        } else {
            for (Item s : c.store.allSubjects()) {
                if (Access.canReadAnywhere(c.user, s)) {
                    subjects.add(s);
                }
            }
        }
        return Level.SUBJECTS.list(subjects, c.query).render(c.query.get("format"));
    }

    /** {@code POST /data/projects/{project}/subjects} with {@code label=} or a subject document. */
    static Reply create(Call c, Target.Subjects t) {
        Item project = t.project();
        Documents.Parsed doc = Fields.xmlBody(c);
        String label = c.query.get("label", doc == null ? null : doc.label());
        if (label == null) {
            throw new XnatError(417, "Need PUT Contents");
        }
        if (c.store.subject(project, label) != null) {
            throw XnatError.conflict("Subject already exists.");
        }
        Item s = c.store.createSubject(project, label, c.user);
        Fields.applyFields(c, s, doc, Level.SUBJECTS);
        return Reply.text(200, "text/plain", c.baseUrl + "/data/subjects/" + s.id);
    }

    static Reply get(Call c, Target.Subject t) {
        return Fields.document(c, t.subject());
    }

    /** Creates the subject (201), or renames it and changes its fields (200); answers its accession ID. */
    static Reply put(Call c, Target.Subject t) {
        Item s = t.subject();
        Documents.Parsed doc = Fields.xmlBody(c);
        Fields.checkProjectParam(c, doc, s == null ? t.project() : s.project);
        boolean created = false;
        if (s == null) {
            String label = c.query.get("label", doc != null && doc.label() != null ? doc.label() : t.ref());
            s = c.store.createSubject(t.project(), label, c.user);
            created = true;
        } else {
            Fields.checkXmlLabel(doc, s);
            Fields.rename(c, s);
        }
        Fields.applyFields(c, s, doc, Level.SUBJECTS);
        return Reply.text(created ? 201 : 200, "text/plain", s.id);
    }

    static Reply delete(Call c, Target.Subject t) {
        if (SharingHandlers.deletedShare(c, t.subject())) {
            return Reply.empty(200);
        }
        Fields.requireDelete(c, t.subject());
        c.store.deleteItem(t.subject(), c.query.flag("removeFiles"));
        return Reply.empty(200);
    }
}
