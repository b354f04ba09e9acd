package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users (contract section 9): the site's users ({@code /data/users}, {@code /xapi/users}), a caller's project access
 * ({@code /xapi/access/projects}) and a project's groups ({@code /data/projects/{P}/users}). Who may do what is
 * decided in {@link Access}.
 */
final class UserHandlers {
    private UserHandlers() {}

    // ------------------------------------------------------------------ site users

    /**
     * {@code GET /data/users}: login, names, e-mail and {@code xdat_user_id} of every user. Administrators only, as
     * on a site with XNAT's default {@code restrictUserListAccessToAdmins=true}.
     */
    static Reply list(Call c) {
        requireAdmin(c, "Only site administrators can list the site's users.");
        Table t = new Table(List.of("login", "firstname", "lastname", "email", "xdat_user_id", "enabled", "verified"));
        for (Store.User u : c.store.directory().users()) {
            Map<String, String> row = t.addRow();
            row.put("login", u.login());
            row.put("firstname", u.firstname);
            row.put("lastname", u.lastname);
            row.put("email", u.email);
            row.put("xdat_user_id", Integer.toString(u.id()));
            row.put("enabled", Boolean.toString(u.enabled));
            row.put("verified", Boolean.toString(u.verified));
        }
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t.render(c.query.get("format"));
    }

    /** {@code GET /xapi/users}: a JSON array of logins (administrators only). */
    static Reply logins(Call c) {
        requireAdmin(c, "Only site administrators can list the site's users.");
        StringBuilder b = new StringBuilder("[");
        for (Store.User u : c.store.directory().users()) {
            if (b.length() > 1) {
                b.append(',');
            }
            Json.string(b, u.login());
        }
        return json(200, b.append(']').toString());
    }

    /** {@code GET /xapi/users/{login}}: the user's record (the user themselves or an administrator). */
    static Reply one(Call c) {
        return json(200, userJson(selfOrAdmin(c)));
    }

    /**
     * {@code POST /xapi/users} (administrators): a JSON body with {@code username}, {@code password} and optionally
     * {@code firstName}, {@code lastName}, {@code email}, {@code enabled}, {@code verified}; 201 with the record.
     */
    static Reply create(Call c) {
        requireAdmin(c, "Only site administrators can create users.");
        Map<String, String> body = FlatJson.object(body(c));
        String login = body.get("username");
        String password = body.get("password");
        if (login == null || password == null || password.isEmpty()) {
            throw XnatError.badRequest("A new user needs a username and a password.");
        }
        Store.User u = c.store.directory().add(login, password, false);
        u.firstname = body.getOrDefault("firstName", login);
        u.lastname = body.getOrDefault("lastName", login);
        u.email = body.getOrDefault("email", login + "@localhost");
        u.enabled = !"false".equals(body.get("enabled"));
        u.verified = !"false".equals(body.get("verified"));
        return json(201, userJson(u));
    }

    /** {@code PUT /xapi/users/{login}/{flag:enabled|verified}/{value}} (administrators). */
    static Reply setFlag(Call c) {
        requireAdmin(c, "Only site administrators can change users.");
        Store.User u = user(c);
        String v = c.var("value");
        if (!v.equals("true") && !v.equals("false")) {
            throw XnatError.badRequest("The value must be true or false: " + v);
        }
        boolean on = v.equals("true");
        if (c.var("flag").equals("enabled")) {
            u.enabled = on;
        } else {
            u.verified = on;
        }
        return Reply.empty(200);
    }

    /** {@code GET /xapi/users/{login}/{flag:enabled|verified}}: {@code true} or {@code false}. */
    static Reply flag(Call c) {
        Store.User u = selfOrAdmin(c);
        return json(200, Boolean.toString(c.var("flag").equals("enabled") ? u.enabled : u.verified));
    }

    /** {@code GET /xapi/users/{login}/roles}: a JSON array of site roles. */
    static Reply roles(Call c) {
        return json(200, array(selfOrAdmin(c).roles().stream().sorted().toList()));
    }

    /** A JSON array of strings. */
    private static String array(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            Json.string(b, v);
        }
        return b.append(']').toString();
    }

    /**
     * {@code GET /xapi/users/{login}/groups} (the user or an administrator): a JSON array of the IDs of the project
     * groups the user is in, {@code {project}_owner}, {@code _member} or {@code _collaborator}, sorted.
     */
    static Reply groups(Call c) {
        Store.User u = selfOrAdmin(c);
        List<String> ids = new java.util.ArrayList<>();
        for (Item p : c.store.projects()) {
            Access.Group g = p.groups.get(u.login());
            if (g != null) {
                ids.add(g.groupId(p));
            }
        }
        java.util.Collections.sort(ids);
        return json(200, array(ids));
    }

    /** {@code PUT /xapi/users/{login}/roles} with a JSON array: the user's site roles become exactly those. */
    static Reply setRoles(Call c) {
        requireAdmin(c, "Only site administrators can change roles.");
        Store.User u = user(c);
        List<String> roles = FlatJson.strings(body(c));
        u.roles().retainAll(roles);
        u.roles().addAll(roles);
        return Reply.empty(200);
    }

    /**
     * {@code GET /xapi/access/projects}: the projects the caller can read, each with its ID, name, accessibility
     * and the caller's group there ({@code owner}, {@code member}, {@code collaborator}, or "" when they read it
     * as a public project or as an administrator).
     */
    static Reply accessibleProjects(Call c) {
        StringBuilder b = new StringBuilder("[");
        for (Item p : c.store.projects()) {
            if (!Access.canRead(c.user, p)) {
                continue;
            }
            if (b.length() > 1) {
                b.append(',');
            }
            Access.Group g = Access.group(c.user, p);
            b.append("{\"ID\":");
            Json.string(b, p.id).append(",\"name\":");
            Json.string(b, p.field("name")).append(",\"secondary_ID\":");
            Json.string(b, p.field("secondary_id")).append(",\"accessibility\":");
            Json.string(b, p.accessibility).append(",\"role\":");
            Json.string(b, g == null ? "" : g.suffix).append('}');
        }
        return json(200, b.append(']').toString());
    }

    // ------------------------------------------------------------------ project users

    /**
     * {@code GET /data/projects/{P}/users}: one row per user in a group: {@code GROUP_ID}, {@code displayname},
     * {@code login}, names and e-mail. Owners and administrators only (403 for others; 404 when the project is not
     * visible). Disabled users are left out unless the URL ends {@code /users/true}.
     */
    static Reply members(Call c) {
        Item p = manageable(c);
        String all = c.var("all");
        return memberTable(c, p, "true".equals(all)).render(c.query.get("format"));
    }

    /** {@code PUT /data/projects/{P}/users/{group}/{login[,login]}}: adds (or moves) the users to the group. */
    static Reply addMembers(Call c) {
        return changeMembers(c, true);
    }

    /** {@code DELETE /data/projects/{P}/users/{group}/{login[,login]}}: removes the users from the group. */
    static Reply removeMembers(Call c) {
        return changeMembers(c, false);
    }

    private static Reply changeMembers(Call c, boolean add) {
        Item p = manageable(c);
        Access.Group g = group(c, p);
        for (Store.User u : named(c)) {
            if (add) {
                p.groups.put(u.login(), g);
            } else {
                p.groups.remove(u.login(), g);
            }
        }
        return memberTable(c, p, false).render(c.query.get("format"));
    }

    private static Table memberTable(Call c, Item p, boolean withDisabled) {
        Table t = new Table(List.of("GROUP_ID", "displayname", "login", "firstname", "lastname", "email"));
        for (Access.Group g : Access.Group.values()) {
            for (Map.Entry<String, Access.Group> e : p.groups.entrySet()) {
                Store.User u = c.store.directory().user(e.getKey());
                if (e.getValue() != g || u == null || !u.enabled && !withDisabled) {
                    continue;
                }
                Map<String, String> row = t.addRow();
                row.put("GROUP_ID", g.groupId(p));
                row.put("displayname", g.displayName);
                row.put("login", u.login());
                row.put("firstname", u.firstname);
                row.put("lastname", u.lastname);
                row.put("email", u.email);
            }
        }
        t.meta.put("title", "Projects");
        t.meta.put("totalRecords", Integer.toString(t.rows.size()));
        return t;
    }

    private static Item manageable(Call c) {
        Item p = Targets.visibleProject(c, c.var("project"), false);
        if (!Access.canManage(c.user, p)) {
            throw XnatError.forbidden(
                    "Access Denied: Only project owners and site managers can access user resources.");
        }
        return p;
    }

    private static Access.Group group(Call c, Item p) {
        Access.Group g = Access.Group.parse(p, c.var("group"));
        if (g == null) {
            throw XnatError.notFound("Unknown group: " + c.var("group"));
        }
        return g;
    }

    private static List<Store.User> named(Call c) {
        List<Store.User> out = new ArrayList<>();
        for (String login : c.var("logins").split(",")) {
            if (login.equals(Access.GUEST)) {
                throw new XnatError(412, "The guest user cannot be added to a project.");
            }
            Store.User u = c.store.directory().user(login);
            if (u == null) {
                throw XnatError.notFound("Unknown user: " + login);
            }
            out.add(u);
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    static String userJson(Store.User u) {
        StringBuilder b = new StringBuilder("{\"id\":").append(u.id()).append(",\"username\":");
        Json.string(b, u.login()).append(",\"firstName\":");
        Json.string(b, u.firstname).append(",\"lastName\":");
        Json.string(b, u.lastname).append(",\"email\":");
        Json.string(b, u.email)
                .append(",\"enabled\":")
                .append(u.enabled)
                .append(",\"verified\":")
                .append(u.verified)
                .append(",\"admin\":")
                .append(u.admin())
                .append('}');
        return b.toString();
    }

    private static Store.User user(Call c) {
        Store.User u = c.store.directory().user(c.var("login"));
        if (u == null) {
            throw XnatError.notFound("Unknown user: " + c.var("login"));
        }
        return u;
    }

    /** The user the URL names, when it is the caller or the caller is an administrator. */
    private static Store.User selfOrAdmin(Call c) {
        Store.User u = user(c);
        if (!c.user.admin() && !c.user.login().equals(u.login())) {
            throw XnatError.forbidden("Only site administrators can read other users' records.");
        }
        return u;
    }

    static void requireAdmin(Call c, String message) {
        if (!c.user.admin()) {
            throw XnatError.forbidden(message);
        }
    }

    static String body(Call c) {
        if (c.body == null) {
            throw XnatError.badRequest("A JSON body is required.");
        }
        try {
            return Files.readString(c.body.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply json(int status, String body) {
        return Reply.text(status, "application/json", body);
    }
}
