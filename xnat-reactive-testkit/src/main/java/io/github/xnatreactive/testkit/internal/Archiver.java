package io.github.xnatreactive.testkit.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Archives a prearchive session (XNAT's PrearcDatabase.archive): the subject if it is new, the session, a scan per
 * series with a {@code DICOM} resource holding its files, then removes the session from the prearchive. Every check
 * runs in {@link #plan} before anything is written.
 */
final class Archiver {
    private static final Map<String, String> SESSION_TYPES = Map.ofEntries(
            Map.entry("MR", "mr"),
            Map.entry("CT", "ct"),
            Map.entry("PT", "pet"),
            Map.entry("US", "us"),
            Map.entry("CR", "cr"),
            Map.entry("DX", "dx"),
            Map.entry("MG", "mg"),
            Map.entry("NM", "nm"),
            Map.entry("XA", "xa"));

    private Archiver() {}

    /** {@code overwrite=}: none (default), append (add to the session) or delete (replace it). */
    enum Overwrite {
        NONE,
        APPEND,
        DELETE
    }

    /** A checked archive: where it goes and the session already there, if any. */
    record Plan(Item project, String subject, String label, Overwrite overwrite, Item existing, Store.User user) {}

    static Overwrite overwrite(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("none") || value.equalsIgnoreCase("false")) {
            return Overwrite.NONE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "append", "true" -> Overwrite.APPEND;
            case "delete" -> Overwrite.DELETE;
            default -> throw XnatError.badRequest("Invalid overwrite value: " + value + " (none, append or delete)");
        };
    }

    /** Checks that the session can be archived there; throws XNAT's error otherwise. Writes nothing. */
    static Plan plan(Store store, Item project, String subject, String label, Overwrite overwrite, Store.User user) {
        if (!store.canEdit(user, project)) {
            throw XnatError.forbidden("User " + user.login() + " cannot archive into project " + project.id);
        }
        if (subject == null || subject.isBlank()) {
            throw XnatError.badRequest("Session " + label + " has no subject: give SUBJECT_ID or a Patient's Name");
        }
        Item existing = store.session(project, null, label);
        if (existing != null) {
            if (overwrite == Overwrite.NONE) {
                throw XnatError.conflict("Session already exists: " + project.id + "/" + label
                        + ". Archive with overwrite=append to add to it or overwrite=delete to replace it.");
            }
            if (overwrite == Overwrite.APPEND && !existing.parent.label.equals(subject)) {
                throw XnatError.conflict("Session " + label + " already belongs to subject " + existing.parent.label
                        + ", not " + subject + ".");
            }
        }
        return new Plan(project, subject, label, overwrite, existing, user);
    }

    /** Archives a planned session and removes it from the prearchive; answers the archived session. */
    static Item archive(Store store, Prearchive.Session s, Plan plan) {
        if (plan.existing() != null && plan.overwrite() == Overwrite.DELETE) {
            store.deleteItem(plan.existing(), true);
        }
        Item subject = store.subject(plan.project(), plan.subject());
        if (subject == null) {
            subject = store.createSubject(plan.project(), plan.subject(), plan.user());
        }
        String kind = SESSION_TYPES.getOrDefault(s.modality, "otherDicom");
        Item session = plan.existing() != null && plan.overwrite() == Overwrite.APPEND
                ? plan.existing()
                : store.createSession(subject, plan.label(), "xnat:" + kind + "SessionData", plan.user());
        if (!s.scanDate.isEmpty()) {
            session.fields.put("date", s.scanDate);
        }
        if (!s.scanTime.isEmpty()) {
            session.fields.put("time", s.scanTime);
        }
        if (!s.modality.isEmpty()) {
            session.fields.put("modality", s.modality);
        }
        session.fields.put("UID", s.tag);
        Prearchive pa = store.prearchive();
        for (Prearchive.Scan sc : s.scans.values()) {
            Item scan = store.child(session, Kind.SCAN, sc.id);
            if (scan == null) {
                String scanKind = SESSION_TYPES.getOrDefault(sc.modality == null ? "" : sc.modality, "otherDicom");
                scan = store.createSessionChild(
                        session, Kind.SCAN, sc.id, "xnat:" + scanKind + "ScanData", plan.user());
            }
            if (sc.description != null && !sc.description.isBlank()) {
                scan.fields.put("type", sc.description);
                scan.fields.put("series_description", sc.description);
            }
            if (sc.modality != null) {
                scan.fields.put("modality", sc.modality);
            }
            scan.fields.put("UID", sc.seriesUid);
            Resource dicom = store.resource(scan, null, "DICOM");
            if (dicom == null) {
                dicom = store.createResource(scan, null, "DICOM");
                dicom.format = "DICOM";
                dicom.content = "RAW";
            }
            for (Prearchive.FileInfo f : sc.files.values()) {
                store.putFile(
                        dicom,
                        f.name(),
                        pa.dir(s, sc).resolve(f.name()),
                        f.size(),
                        f.md5(),
                        f.crc(),
                        true,
                        "DICOM",
                        "RAW",
                        "");
            }
            scan.fields.put("frames", Integer.toString(dicom.files.size()));
        }
        pa.remove(s);
        return session;
    }

    /** {@code /data/archive/projects/{P}/subjects/{S}/experiments/{label}}, as the importer and archiver answer. */
    static String uri(Item session) {
        return "/data/archive/projects/" + session.project.id + "/subjects/" + session.parent.label + "/experiments/"
                + session.label;
    }
}
