package io.github.xnatreactive.core;

import java.util.Locale;

/**
 * A user's group in a project, with XNAT's rights: owners read, create, edit and delete data and manage the
 * project's users and settings; members read, create and edit but cannot delete; collaborators only read.
 *
 * <p>For example {@code xnat.project("P1").addUser("alice", ProjectRole.MEMBER)}.
 */
public enum ProjectRole {
    /** Owners: everything, including the project's users, settings and deletion. */
    OWNER("owner", "Owners"),
    /** Members: read, create and edit data; no deletion. */
    MEMBER("member", "Members"),
    /** Collaborators: read only. */
    COLLABORATOR("collaborator", "Collaborators");

    private final String word;
    private final String displayName;

    ProjectRole(String word, String displayName) {
        this.word = word;
        this.displayName = displayName;
    }

    /**
     * The role's word in XNAT's group IDs and URLs.
     *
     * @return {@code owner}, {@code member} or {@code collaborator}
     */
    public String word() {
        return word;
    }

    /**
     * The name XNAT lists the group under ({@code displayname} of {@code /data/projects/{P}/users}).
     *
     * @return {@code Owners}, {@code Members} or {@code Collaborators}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * The role a word, display name or group ID names, in any case.
     *
     * @param name {@code member}, {@code Members}, {@code P1_member}...
     * @return the role
     * @throws IllegalArgumentException for anything else
     */
    public static ProjectRole parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (ProjectRole r : values()) {
            if (n.equals(r.word) || n.equals(r.displayName.toLowerCase(Locale.ROOT)) || n.endsWith("_" + r.word)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Not a project role (owner, member, collaborator): " + name);
    }
}
