package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Experiments (contract sections 3 and 4): sessions and assessors as experiments, listing to deletion. */
final class ExperimentHandlers {
    private ExperimentHandlers() {}

    /** A subject's or project's sessions, or (without a project) every readable experiment, by {@code xsiType}. */
    static Reply list(Call c, Target.Experiments t) {
        if (t.project() == null) {
            return site(c);
        }
        List<Item> sessions;
        if (t.subject() == null) {
            sessions = c.store.sessionsOf(t.project());
            sessions.addAll(SharingHandlers.sharedViews(t.project(), Kind.SESSION));
        } else {
            sessions = SharingHandlers.sessionsIn(t.project(), t.subject());
        }
        return Level.SESSIONS.list(sessions, c.query).render(c.query.get("format"));
    }

    private static Reply site(Call c) {
        String type = c.query.get("xsiType");
        List<Item> visible = new ArrayList<>();
        for (Item e : c.store.allExperiments()) {
            if (Access.canReadAnywhere(c.user, e)) {
                visible.add(e);
            }
        }
        Level level = Level.EXPERIMENTS;
        if (type != null && Types.isA(type, "xnat:subjectAssessorData")) {
            level = Level.SUBJECT_ASSESSORS;
        } else if (type != null && Types.isImageAssessor(type)) {
            level = Level.IMAGE_ASSESSORS;
        }
        Table t = level.list(visible, c.query);
        ScanColumns.expand(t, c.store, c.query);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("title", "Matching experiments");
        meta.putAll(t.meta);
        t.meta.clear();
        t.meta.putAll(meta);
        return t.render(c.query.get("format"));
    }

    /** {@code POST .../experiments} with {@code label=} and {@code xsiType=} (or a document). */
    static Reply create(Call c, Target.Experiments t) {
        Item project = t.project();
        Documents.Parsed doc = Fields.xmlBody(c);
        String label = c.query.get("label", doc == null ? null : doc.label());
        String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
        if (label == null || type == null) {
            throw new XnatError(417, "Need PUT Contents");
        }
        if (c.store.session(project, null, label) != null) {
            throw XnatError.conflict("Specified experiment already exists.");
        }
        Item subj = t.subject() != null ? t.subject() : subjectFromParams(c, project);
        Item e = c.store.createSession(subj, label, type, c.user);
        Fields.applyFields(c, e, doc, Level.SESSIONS);
        return Reply.text(200, "text/plain", c.baseUrl + "/data/experiments/" + e.id);
    }

    private static Item subjectFromParams(Call c, Item project) {
        String ref = c.query.get("subject_ID");
        if (ref == null) {
            for (Map.Entry<String, List<String>> e : c.query.asMap().entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).endsWith("/subject_id")
                        && !e.getValue().isEmpty()) {
                    ref = e.getValue().get(0);
                }
            }
        }
        if (ref == null) {
            throw XnatError.badRequest("A subject is required to create an experiment: use subject_ID= or a"
                    + " /subjects/{S}/experiments/{E} URL.");
        }
        Item s = c.store.subject(project, ref);
        if (s == null) {
            throw XnatError.notFound("Unable to find the specified subject.");
        }
        return s;
    }

    static Reply get(Call c, Target.Experiment t) {
        return Fields.document(c, t.experiment());
    }

    /** Creates the session (201, with its subject if the URL names a new one) or changes it (200). */
    static Reply put(Call c, Target.Experiment t) {
        Item e = t.experiment();
        Item project = t.project();
        Documents.Parsed doc = Fields.xmlBody(c);
        String type = c.query.get("xsiType", doc == null ? null : doc.xsiType());
        Level level = e != null && e.kind == Kind.ASSESSOR ? Level.ASSESSORS : Level.SESSIONS;
        if (e == null) {
            if (type == null) {
                throw new XnatError(417, "Need PUT Contents");
            }
            Fields.checkProjectParam(c, doc, project);
            Item subject = t.subject();
            if (subject == null) {
                subject = t.subjectRef() != null
                        ? c.store.createSubject(project, t.subjectRef(), c.user)
                        : subjectFromParams(c, project);
            }
            String label = c.query.get("label", doc != null && doc.label() != null ? doc.label() : t.ref());
            e = c.store.createSession(subject, label, type, c.user);
            Fields.applyFields(c, e, doc, level);
            StatusHandlers.apply(c, e);
            TriggerHandlers.apply(c, e);
            return Reply.text(201, "text/plain", e.id);
        }
        if (type != null && !type.equalsIgnoreCase(e.xsiType)) {
            throw XnatError.conflict(
                    "Cannot change the data type of " + e.id + " from " + e.xsiType + " to " + type + ".");
        }
        Fields.checkProjectParam(c, doc, e.project);
        Fields.checkXmlLabel(doc, e);
        Fields.rename(c, e);
        Fields.applyFields(c, e, doc, level);
        StatusHandlers.apply(c, e);
        TriggerHandlers.apply(c, e);
        return Reply.text(200, "text/plain", e.id);
    }

    static Reply delete(Call c, Target.Experiment t) {
        if (SharingHandlers.deletedShare(c, t.experiment())) {
            return Reply.empty(200);
        }
        Fields.requireDelete(c, t.experiment());
        c.store.deleteItem(t.experiment(), c.query.flag("removeFiles"));
        return Reply.empty(200);
    }
}
