package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the variables of a matched route ({@code project}, {@code subject}, {@code experiment}, {@code scan},
 * {@code assessor}, {@code reconstruction}, {@code direction}, {@code resource}, {@code path}) into a {@link Target},
 * checking visibility and permissions as XNAT does: 404 for what the caller cannot see, 403 for what they can see
 * but not read or change. Runs inside the request's store transaction.
 */
final class Targets {
    private Targets() {}

    static Target.Projects projects(Call c) {
        return new Target.Projects();
    }

    static Target.Project project(Call c) {
        String ref = c.var("project");
        return new Target.Project(ref, visibleProject(c, ref, c.method.equals("PUT")));
    }

    static Target.ProjectSetting projectSetting(Call c) {
        String args = c.var("args");
        return new Target.ProjectSetting(
                visibleProject(c, c.var("project"), c.method.equals("PUT")),
                c.var("setting"),
                args.isEmpty() ? List.of() : List.of(args.split("/")));
    }

    static Target.Subjects subjects(Call c) {
        return new Target.Subjects(c.var("project") == null ? null : readableProject(c));
    }

    /** A subject; on {@code PUT} to a project's subject URL a missing subject is one to create. */
    static Target.Subject subject(Call c) {
        Item project = c.var("project") == null ? null : readableProject(c);
        Item s = subjectOf(c, project, c.method.equals("PUT") && project != null);
        return new Target.Subject(project, c.var("subject"), s);
    }

    /** Without a project in the URL, the site's experiments (a subject named there must still exist). */
    static Target.Experiments experiments(Call c) {
        Item project = c.var("project") == null ? null : readableProject(c);
        Item subject = c.var("subject") == null ? null : subjectOf(c, project, false);
        return new Target.Experiments(project, project == null ? null : subject);
    }

    /** An experiment; on {@code PUT} a missing one (and a missing subject named in the URL) is one to create. */
    static Target.Experiment experiment(Call c) {
        boolean put = c.method.equals("PUT");
        Item project = c.var("project") == null ? null : readableProject(c);
        Item subject = c.var("subject") == null ? null : subjectOf(c, project, put);
        Item e = experimentOf(c, project, subject);
        if (e == null && !put) {
            throw XnatError.notFound("Unable to find the specified experiment.");
        }
        return new Target.Experiment(project, subject, c.var("subject"), c.var("experiment"), e);
    }

    static Target.DerivedList derivedList(Call c) {
        return new Target.DerivedList(session(c), kind(c));
    }

    static Target.Derived derived(Call c) {
        Item session = session(c);
        Kind kind = kind(c);
        String ref = c.var(kind.word());
        return new Target.Derived(session, kind, ref, store(c).child(session, kind, ref, urlProject(c)));
    }

    static Target.Catalogs catalogs(Call c) {
        return new Target.Catalogs(owners(c));
    }

    static Target.Catalog catalog(Call c) {
        return new Target.Catalog(owners(c), c.var("resource"));
    }

    static Target.Files files(Call c) {
        String path = filePath(c);
        Target.Owners owners = owners(c);
        Kind kind = kindOrNull(c);
        if (c.var("resource") == null
                && owners.direction() == null
                && (kind == Kind.ASSESSOR || kind == Kind.RECONSTRUCTION)) {
            // XNAT (XNATTemplate) reads a session's assessor or reconstruction URL without in/out as its out side:
            // {E}/assessors/{ids}/files is the files of their out resources. The testkit keeps plain resources of
            // assessors apart elsewhere; this shortcut serves what XNAT serves.
            owners = new Target.Owners(owners.items(), "out");
        }
        return new Target.Files(owners, c.var("resource"), path);
    }

    /** The file path of a files URL ({@code .../files/{path...}}), with its trailing slash when it names a folder. */
    static String filePath(Call c) {
        String path = c.var("path");
        if (c.trailingSlash && !path.isEmpty()) {
            path += "/";
        }
        return path;
    }

    // ------------------------------------------------------------------ owners of resources

    /** The objects a resource or file URL hangs from, each readable (and editable for a change) by the caller. */
    static Target.Owners owners(Call c) {
        String direction = c.var("direction");
        if (c.var("experiment") == null) {
            Item project = c.var("project") == null ? null : visibleProject(c, c.var("project"), false);
            if (project != null) {
                readable(c, project);
            }
            if (c.var("subject") == null) {
                return new Target.Owners(List.of(project), direction);
            }
            return new Target.Owners(List.of(subjectOf(c, project, false)), direction);
        }
        if (kindOrNull(c) == null) {
            Item project = c.var("project") == null ? null : readableProject(c);
            Item subject = c.var("subject") == null ? null : subjectOf(c, project, false);
            Item e = experimentOf(c, project, subject);
            if (e == null) {
                throw XnatError.notFound("Unable to find the specified experiment.");
            }
            return new Target.Owners(List.of(e), direction);
        }
        Item session = session(c);
        Kind kind = kind(c);
        List<Item> owners = matchChildren(store(c), session, kind, c.var(kind.word()), urlProject(c));
        if (owners.isEmpty()) {
            throw XnatError.notFound("Unable to find the specified " + kind.word() + ".");
        }
        return new Target.Owners(owners, direction);
    }

    // ------------------------------------------------------------------ the steps

    private static Store store(Call c) {
        return c.store;
    }

    private static Kind kindOrNull(Call c) {
        if (c.var("scan") != null) {
            return Kind.SCAN;
        }
        if (c.var("assessor") != null) {
            return Kind.ASSESSOR;
        }
        return c.var("reconstruction") != null ? Kind.RECONSTRUCTION : null;
    }

    private static Kind kind(Call c) {
        Kind k = kindOrNull(c);
        if (k == null) {
            String collection = c.var("collection");
            return switch (collection) {
                case "scans" -> Kind.SCAN;
                case "assessors" -> Kind.ASSESSOR;
                default -> Kind.RECONSTRUCTION;
            };
        }
        return k;
    }

    /** The session whose scans, assessors or reconstructions the URL names. */
    private static Item session(Call c) {
        Item project = c.var("project") == null ? null : readableProject(c);
        Item subject = c.var("subject") == null ? null : subjectOf(c, project, false);
        Item e = experimentOf(c, project, subject);
        if (e == null || e.kind != Kind.SESSION) {
            throw XnatError.notFound("Unable to find the specified experiment.");
        }
        return e;
    }

    private static Item readableProject(Call c) {
        Item p = visibleProject(c, c.var("project"), false);
        readable(c, p);
        return p;
    }

    /**
     * The subject of the URL: by label or ID within the project, by accession ID alone without one. Null only when
     * {@code mayBeMissing} (a creating PUT).
     */
    private static Item subjectOf(Call c, Item project, boolean mayBeMissing) {
        String ref = c.var("subject");
        Item s = project != null ? store(c).subject(project, ref) : globalSubject(c, ref);
        if (s == null) {
            if (mayBeMissing) {
                return null;
            }
            throw XnatError.notFound("Unable to find the specified subject.");
        }
        readableVia(c, s, project);
        return s;
    }

    /** The experiment of the URL, or null when a project-scoped one does not exist. */
    private static Item experimentOf(Call c, Item project, Item subject) {
        String ref = c.var("experiment");
        Item e;
        if (project != null) {
            e = subject != null ? store(c).session(project, subject, ref) : null;
            if (e == null && subject == null && c.var("subject") == null) {
                e = store(c).session(project, null, ref);
            }
        } else {
            e = multiExperiment(c, ref);
        }
        if (e != null) {
            readableVia(c, e, project);
        }
        return e;
    }

    static Item visibleProject(Call c, String ref, boolean creating) {
        Store store = store(c);
        Item p = store.project(ref);
        if (p == null || !store.canSee(c.user, p)) {
            if (creating && p == null) {
                return null;
            }
            if (c.method.equals("DELETE") && c.segments.size() == 3) {
                throw XnatError.badRequest("Unable to find the specified project.");
            }
            throw XnatError.notFound("Unable to find the specified project.");
        }
        return p;
    }

    static void readable(Call c, Item project) {
        Store store = store(c);
        if (!store.canRead(c.user, project)) {
            if (store.canSee(c.user, project)) {
                throw XnatError.forbidden("Unable to read data for Project " + project.id);
            }
            throw XnatError.notFound("Unable to find the specified project.");
        }
        if (c.method.equals("DELETE") && !Access.canDelete(c.user, project)) {
            throw XnatError.forbidden(
                    "Access Denied: you do not have permission to delete data in project " + project.id + ".");
        }
        if (!c.isRead() && !store.canEdit(c.user, project)) {
            throw XnatError.forbidden(
                    "Access Denied: you do not have permission to modify data in project " + project.id + ".");
        }
    }

    /**
     * Checks the caller's rights on a subject or experiment reached through {@code urlProject}: through a project it
     * is shared into, that project's rights decide reads and deletes (which remove the share), and changes need edit
     * rights in the item's own project too; without a project in the URL, any project the item is in may grant the
     * read.
     */
    static void readableVia(Call c, Item item, Item urlProject) {
        Item via = item.project;
        if (urlProject != null && urlProject != item.project && item.shares.containsKey(urlProject)) {
            via = urlProject;
        } else if (urlProject == null && c.isRead() && !Access.canRead(c.user, item.project)) {
            for (Item p : item.shares.keySet()) {
                if (Access.canRead(c.user, p)) {
                    via = p;
                    break;
                }
            }
        }
        readable(c, via);
        if (via != item.project && c.isWrite() && !Access.canEdit(c.user, item.project)) {
            throw XnatError.forbidden(
                    "Access Denied: shared data is changed in its own project, " + item.project.id + ".");
        }
    }

    private static Item globalSubject(Call c, String id) {
        Item s = store(c).subjectById(id);
        if (s == null || !Access.canSeeAnywhere(c.user, s)) {
            throw XnatError.notFound("Unable to find subject " + id
                    + ": without a project in the URL, only accession IDs are accepted.");
        }
        return s;
    }

    /** {@code /experiments/{E}}: by accession ID only. */
    private static Item multiExperiment(Call c, String id) {
        Item e = store(c).experimentById(id);
        if (e == null || !Access.canSeeAnywhere(c.user, e)) {
            throw XnatError.notFound("Unable to find experiment " + id
                    + ": without a project in the URL, only accession IDs are accepted.");
        }
        return e;
    }

    /** The project of the URL ({@code /data/projects/{project}/...}), by ID or alias; null without one. */
    static Item urlProject(Call c) {
        String ref = c.var("project");
        return ref == null ? null : store(c).project(ref);
    }

    /**
     * Children named by an ID, a comma list, {@code ALL}/{@code *}, or a scan type (contract 1.3); through
     * {@code viaProject}, an assessor shared into it is named by its label there (see
     * {@link Store#child(Item, Kind, String, Item)}).
     */
    static List<Item> matchChildren(Store store, Item session, Kind kind, String ref, Item viaProject) {
        if (kind != Kind.ASSESSOR || viaProject == null || ref.equals("ALL") || ref.equals("*")) {
            return matchChildren(session, kind, ref);
        }
        List<Item> out = new ArrayList<>();
        for (String one : ref.split(",")) {
            Item a = store.child(session, kind, one, viaProject);
            if (a != null && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Children named by an ID, a comma list, {@code ALL}/{@code *}, or a scan type (contract 1.3). */
    static List<Item> matchChildren(Item session, Kind kind, String ref) {
        List<Item> all = session.children(kind);
        if (ref.equals("ALL") || ref.equals("*")) {
            return all;
        }
        List<Item> out = new ArrayList<>();
        for (String one : ref.split(",")) {
            String want = one.replace("[SLASH]", "/").replace("[COMMA]", ",");
            for (Item c : all) {
                if ((c.id.equals(want) || c.field("type").equals(want) || c.label.equals(want)) && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
