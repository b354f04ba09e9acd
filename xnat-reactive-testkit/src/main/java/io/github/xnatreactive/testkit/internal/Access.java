package io.github.xnatreactive.testkit.internal;

import java.util.Locale;

/**
 * Every permission decision of the testkit, as XNAT makes them: site administrators may do anything; in a project,
 * owners read, create, edit and delete and manage its users and settings; members read, create and edit but do not
 * delete; collaborators only read. A non-member sees a public project and reads its data; sees a protected
 * project's record (its data reads are refused with 403); and does not see a private project at all (it reads as
 * 404). The guest (anonymous caller, when the site allows one) is a non-member that can change nothing.
 * Listings, searches and handlers call these methods rather than deciding themselves.
 */
public final class Access {
    /** The site role that makes a user a site administrator. */
    public static final String ADMIN_ROLE = "Administrator";
    /** The login anonymous callers act as. */
    public static final String GUEST = "guest";

    private Access() {}

    /** A project group, with XNAT's group ID suffix and display name. */
    public enum Group {
        OWNER("owner", "Owners"),
        MEMBER("member", "Members"),
        COLLABORATOR("collaborator", "Collaborators");

        public final String suffix;
        public final String displayName;

        Group(String suffix, String displayName) {
            this.suffix = suffix;
            this.displayName = displayName;
        }

        /** The group's ID in a project, e.g. {@code P1_owner}. */
        public String groupId(Item project) {
            return project.id + "_" + suffix;
        }

        /**
         * The group a URL names: its ID ({@code P1_member}), its display name ({@code Members}) or its suffix
         * ({@code member}), in any case; null for none of them.
         */
        public static Group parse(Item project, String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (Group g : values()) {
                if (n.equals(g.suffix)
                        || n.equals(g.displayName.toLowerCase(Locale.ROOT))
                        || n.equals(g.groupId(project).toLowerCase(Locale.ROOT))) {
                    return g;
                }
            }
            return null;
        }
    }

    /** The user's group in the project, or null when they are in none. */
    public static Group group(Store.User u, Item project) {
        return u == null ? null : project.groups.get(u.login());
    }

    public static boolean isGuest(Store.User u) {
        return u == null || GUEST.equals(u.login()) && !u.admin();
    }

    /** Reads the project's data: administrators, any group of the project, everyone on a public project. */
    public static boolean canRead(Store.User u, Item project) {
        return u != null && (u.admin() || group(u, project) != null || "public".equals(project.accessibility));
    }

    /** Sees the project's record: those who read it, and everyone on a protected project. */
    public static boolean canSee(Store.User u, Item project) {
        return canRead(u, project) || u != null && "protected".equals(project.accessibility);
    }

    /** Creates and edits data in the project: administrators, owners and members. */
    public static boolean canEdit(Store.User u, Item project) {
        if (u == null || isGuest(u)) {
            return false;
        }
        Group g = group(u, project);
        return u.admin() || g == Group.OWNER || g == Group.MEMBER;
    }

    /** Deletes data of the project: administrators and owners. */
    public static boolean canDelete(Store.User u, Item project) {
        return canManage(u, project);
    }

    /**
     * Manages the project: changes its record and settings (accessibility...), deletes it, lists and changes its
     * users. Administrators and owners.
     */
    public static boolean canManage(Store.User u, Item project) {
        return u != null && !isGuest(u) && (u.admin() || group(u, project) == Group.OWNER);
    }

    /** Reads an item through {@code viaProject} (its own project, or one it is shared into). */
    public static boolean canReadVia(Store.User u, Item item, Item viaProject) {
        return viaProject == item.project || item.shares.containsKey(viaProject)
                ? canRead(u, viaProject)
                : canRead(u, item.project);
    }

    /** Reads an item in any of its projects: its own or one it is shared into. */
    public static boolean canReadAnywhere(Store.User u, Item item) {
        if (canRead(u, item.project)) {
            return true;
        }
        for (Item p : item.shares.keySet()) {
            if (canRead(u, p)) {
                return true;
            }
        }
        return false;
    }

    /** Sees an item's project record in any of its projects. */
    public static boolean canSeeAnywhere(Store.User u, Item item) {
        if (canSee(u, item.project)) {
            return true;
        }
        for (Item p : item.shares.keySet()) {
            if (canSee(u, p)) {
                return true;
            }
        }
        return false;
    }

    /** Lists the site's users: any logged-in user (the guest may not). */
    public static boolean canListSiteUsers(Store.User u) {
        return u != null && !isGuest(u);
    }
}
