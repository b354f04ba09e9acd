package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sharing subjects, experiments and assessors into other projects (contract section 4.3):
 * {@code PUT {item}/projects/{P2}[?label=L2][&primary=true]}, {@code DELETE {item}/projects/{P2}} and
 * {@code GET {item}/projects}. A shared item is listed in P2 under its label there and read through P2's URLs with
 * P2's rights; deleting it through P2 removes only the share; {@code primary=true} makes P2 its owner (the old
 * project keeps it as a share, under its old label).
 */
final class SharingHandlers {
    private SharingHandlers() {}

    /** The subject, experiment or assessor the URL names ({@code {item}/projects...}), readable by the caller. */
    private static Item item(Call c) {
        if (c.var("assessor") != null) {
            Target.Derived d = Targets.derived(c);
            if (d.item() == null) {
                throw XnatError.notFound("Unable to find the specified assessor.");
            }
            return d.item();
        }
        if (c.var("experiment") != null) {
            return Targets.experiment(c).experiment();
        }
        Item s = Targets.subject(c).subject();
        if (s == null) {
            throw XnatError.notFound("Unable to find the specified subject.");
        }
        return s;
    }

    /** {@code GET {item}/projects}: the item's own project first ({@code primary} true), then the shares. */
    static Reply list(Call c) {
        Item it = item(c);
        Table t = new Table(List.of("ID", "secondary_ID", "name", "label", "primary", "URI"));
        row(t, it.project, it.label, true);
        for (Map.Entry<Item, String> e : it.shares.entrySet()) {
            row(t, e.getKey(), e.getValue(), false);
        }
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    private static void row(Table t, Item p, String label, boolean primary) {
        Map<String, String> r = t.addRow();
        r.put("ID", p.id);
        r.put("secondary_ID", p.field("secondary_id"));
        r.put("name", p.field("name"));
        r.put("label", label);
        r.put("primary", Boolean.toString(primary));
        r.put("URI", "/data/projects/" + p.id);
    }

    /**
     * Shares the item into P2 (create rights in P2 needed), or with {@code primary=true} makes P2 its owner (the
     * caller must own both projects). 409 when it is already in P2 or the label is taken there; 404 when P2 is
     * not visible.
     */
    static Reply share(Call c) {
        Item it = readOnly(c);
        Item p2 = target(c);
        boolean primary = c.query.flag("primary");
        String label = c.query.get("label", it.label);
        if (label.isEmpty()) {
            label = it.label;
        }
        if (p2 == it.project || it.shares.containsKey(p2) && !primary) {
            throw XnatError.conflict("Already assigned to project:" + p2.id);
        }
        if (!Access.canEdit(c.user, p2)) {
            throw XnatError.forbidden("Access Denied: you cannot create data in project " + p2.id + ".");
        }
        if (primary && !(Access.canManage(c.user, it.project) && Access.canManage(c.user, p2))) {
            throw XnatError.forbidden(
                    "Access Denied: moving " + it.label + " to " + p2.id + " takes ownership of both projects.");
        }
        if (labelTaken(c, it, p2, label)) {
            throw XnatError.conflict("Label already in use:" + label);
        }
        if (primary) {
            move(it, p2, label);
        } else {
            it.shares.put(p2, label);
            p2.sharedIn.add(it);
        }
        return Reply.empty(200);
    }

    /**
     * {@code PUT .../scans/{SC}/projects/{P2}} (XNAT's {@code ScanResource}): shares the scan's session into P2
     * under its label first when it is not there yet, then the scan; create rights in P2 needed for each. 409
     * "Already assigned to project: P2" when the scan is shared there already or P2 is its session's own project;
     * 404 when P2 is not visible. XNAT takes no label and no {@code primary} for scans, and has no unshare.
     */
    static Reply shareScan(Call c) {
        Target.Derived d = Targets.derived(c.asRead());
        if (d.item() == null) {
            throw XnatError.notFound("Unable to find the specified scan.");
        }
        Item scan = d.item();
        Item session = d.session();
        Item p2 = target(c);
        if (p2 == session.project || scan.shares.containsKey(p2)) {
            throw XnatError.conflict("Already assigned to project: " + p2.id);
        }
        if (!Access.canEdit(c.user, p2)) {
            throw XnatError.forbidden("Specified user account has insufficient create privileges for experiments"
                    + " in the " + p2.id + " project.");
        }
        if (!session.shares.containsKey(p2)) {
            if (labelTaken(c, session, p2, session.label)) {
                throw XnatError.conflict("Label already in use:" + session.label);
            }
            session.shares.put(p2, session.label);
            p2.sharedIn.add(session);
        }
        scan.shares.put(p2, scan.id);
        return Reply.empty(200);
    }

    /** {@code DELETE {item}/projects/{P2}}: removes the share (delete rights in P2 needed). */
    static Reply unshare(Call c) {
        Item it = readOnly(c);
        Item p2 = target(c);
        if (p2 == it.project) {
            throw XnatError.badRequest("Cannot remove " + it.label + " from its own project " + p2.id
                    + ": delete it, or move it with primary=true first.");
        }
        if (!it.shares.containsKey(p2)) {
            throw XnatError.notFound(it.label + " is not shared into project " + p2.id + ".");
        }
        remove(c, it, p2);
        return Reply.empty(200);
    }

    /**
     * When {@code item} was reached through a project it is only shared into, removes that share (the caller
     * needs delete rights there, which the URL's resolution checked) and answers true: XNAT deletes through a
     * shared project's URL remove only the share.
     */
    static boolean deletedShare(Call c, Item item) {
        String ref = c.var("project");
        Item via = ref == null ? null : c.store.project(ref);
        if (item == null || via == null || via == item.project || !item.shares.containsKey(via)) {
            return false;
        }
        remove(c, item, via);
        return true;
    }

    private static void remove(Call c, Item it, Item p2) {
        if (!Access.canDelete(c.user, p2)) {
            throw XnatError.forbidden("Access Denied: you cannot remove data from project " + p2.id + ".");
        }
        it.shares.remove(p2);
        p2.sharedIn.remove(it);
    }

    /** The items of {@code kind} shared into {@code project}, each a copy carrying its label there, for listings. */
    static List<Item> sharedViews(Item project, Kind kind) {
        List<Item> out = new ArrayList<>();
        for (Item it : project.sharedIn) {
            if (it.kind == kind) {
                out.add(viewIn(it, project));
            }
        }
        return out;
    }

    /**
     * The item as {@code project} lists it: a copy carrying its label there when it is shared into that project,
     * else the item itself.
     */
    static Item viewIn(Item it, Item project) {
        if (project == null || it.project == project || !it.shares.containsKey(project)) {
            return it;
        }
        Item v = new Item(it.kind, it.id, it.shares.get(project), it.xsiType, it.insertDate, it.insertUser);
        v.project = it.project;
        v.parent = it.parent;
        v.pk = it.pk;
        v.fields.putAll(it.fields);
        v.children.addAll(it.children);
        v.resources.addAll(it.resources);
        return v;
    }

    /**
     * The sessions of {@code subject} as {@code project} lists them: those it owns, and those shared into it (under
     * their label there). Through a project the subject is shared into, sessions that are not are left out.
     */
    static List<Item> sessionsIn(Item project, Item subject) {
        List<Item> out = new ArrayList<>();
        for (Item e : subject.children) {
            if (e.project == project) {
                out.add(e);
            }
        }
        for (Item v : sharedViews(project, Kind.SESSION)) {
            if (v.parent == subject) {
                out.add(v);
            }
        }
        return out;
    }

    /** Resolves the item of a share change with read rights: the share's own rules decide the rest. */
    private static Item readOnly(Call c) {
        return item(c.asRead());
    }

    private static Item target(Call c) {
        Item p2 = c.store.project(c.var("target"));
        if (p2 == null || !Access.canSee(c.user, p2)) {
            throw XnatError.notFound("Unable to find the specified project: " + c.var("target"));
        }
        return p2;
    }

    private static boolean labelTaken(Call c, Item it, Item p2, String label) {
        List<Item> there = new ArrayList<>();
        switch (it.kind) {
            case SUBJECT -> there.addAll(p2.children);
            case SESSION -> there.addAll(c.store.sessionsOf(p2));
            default -> {}
        }
        for (Item other : there) {
            if (other != it && other.label.equals(label)) {
                return true;
            }
        }
        for (Item other : p2.sharedIn) {
            if (other != it && other.kind == it.kind && label.equals(other.shares.get(p2))) {
                return true;
            }
        }
        return false;
    }

    /** Makes {@code p2} the item's own project under {@code label}; its old project keeps it as a share. */
    private static void move(Item it, Item p2, String label) {
        Item p1 = it.project;
        if (it.kind == Kind.SESSION && it.parent.project != p2 && !it.parent.shares.containsKey(p2)) {
            throw XnatError.conflict("Share subject " + it.parent.label + " into " + p2.id
                    + " before moving its experiment " + it.label + " there.");
        }
        if (it.kind == Kind.SUBJECT) {
            p1.children.remove(it);
            p2.children.add(it);
        }
        it.shares.remove(p2);
        p2.sharedIn.remove(it);
        it.shares.put(p1, it.label);
        p1.sharedIn.add(it);
        it.project = p2;
        it.label = label;
    }
}
