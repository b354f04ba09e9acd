package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored object of the archive hierarchy. Mutable; every access happens while holding the {@link Store}'s
 * monitor.
 */
public final class Item {
    public final Kind kind;
    /** Accession ID (project ID for projects, scan ID within its session for scans). */
    public String id;

    public String label;
    public String xsiType;
    /** Owning project (null for projects). */
    public Item project;
    /** Parent object: subject of a session, session of a scan/assessor/reconstruction, null for subject/project. */
    public Item parent;
    /** Numeric primary key for scans and reconstructions ({@code xnat_imagescandata_id}). */
    public long pk;

    public final String insertDate;
    public final String insertUser;
    /** Fields keyed by normalised relative XPath ({@code demographics/gender}, {@code date}, {@code type}). */
    public final Map<String, String> fields = new LinkedHashMap<>();

    /** Workflow status of an experiment ({@code meta/status}): {@code active}, {@code quarantine}, ... */
    public String status = "active";

    public final List<Item> children = new ArrayList<>();
    public final List<Resource> resources = new ArrayList<>();

    // project extras
    public final List<String> aliases = new ArrayList<>();
    public String owner;
    /** Project groups: login to owner, member or collaborator, in the order they were added. */
    public final Map<String, Access.Group> groups = new LinkedHashMap<>();
    /** Subjects, experiments and assessors: the other projects this one is shared into, with its label there. */
    public final Map<Item, String> shares = new LinkedHashMap<>();
    /** Projects: the subjects, experiments and assessors of other projects shared into this one. */
    public final List<Item> sharedIn = new ArrayList<>();

    public String accessibility = "private";
    public int prearchiveCode = 0;
    public int quarantineCode = 0;
    public String currentArc = "arc001";

    Item(Kind kind, String id, String label, String xsiType, String insertDate, String insertUser) {
        this.kind = kind;
        this.id = id;
        this.label = label;
        this.xsiType = xsiType;
        this.insertDate = insertDate;
        this.insertUser = insertUser;
    }

    /** The session a scan, assessor or reconstruction belongs to; the item itself for a session. */
    public Item session() {
        return kind == Kind.SESSION ? this : (parent != null && parent.kind == Kind.SESSION ? parent : null);
    }

    /** The subject of a session or of a session's child. */
    public Item subject() {
        if (kind == Kind.SUBJECT) {
            return this;
        }
        Item s = session();
        return s == null ? null : s.parent;
    }

    public List<Item> children(Kind k) {
        List<Item> out = new ArrayList<>();
        for (Item c : children) {
            if (c.kind == k) {
                out.add(c);
            }
        }
        return out;
    }

    /** This item's label in {@code project}: its own label there, its share label, or null when not in it. */
    public String labelIn(Item project) {
        return project == this.project ? label : shares.get(project);
    }

    public String field(String key) {
        return fields.getOrDefault(key, "");
    }

    @Override
    public String toString() {
        return kind + "[" + id + "/" + label + "]";
    }
}
