package io.github.xnatreactive.testkit.internal;

import java.util.List;

/**
 * Alias tokens (contract section 6.5): {@code /data/services/tokens/issue[/user/{login}]},
 * {@code /show[/user/{login}]}, {@code /validate/{alias}/{secret}}, {@code /invalidate/{alias}}. A token's alias and
 * secret log in as its user (Basic credentials, then a session) until it expires (two days) or is invalidated.
 */
final class TokenHandlers {
    private TokenHandlers() {}

    /** Issues a token for the caller, or (administrators) for the user named in the URL. */
    static Reply issue(Call c) {
        Store.User u = subject(c, "Only site administrators can issue alias tokens for other users.");
        return UserHandlers.json(200, c.store.directory().issue(u).json());
    }

    /** The live tokens of the caller, or (administrators) of the user named in the URL, as a JSON array. */
    static Reply show(Call c) {
        Store.User u = subject(c, "Only site administrators can see other users' alias tokens.");
        List<Directory.Token> tokens = c.store.directory().tokensOf(u.login());
        StringBuilder b = new StringBuilder("[");
        for (Directory.Token t : tokens) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(t.json());
        }
        return UserHandlers.json(200, b.append(']').toString());
    }

    /** {@code {"valid":"<login>"}} for a live alias and secret, {@code {}} otherwise. */
    static Reply validate(Call c) {
        requireNotGuest(c);
        String login = c.store.directory().validate(c.var("alias"), c.var("secret"));
        return UserHandlers.json(200, login == null ? "{}" : "{\"valid\":" + Json.quote(login) + "}");
    }

    /** Ends a token (the caller's own, or any as an administrator): it no longer logs in. */
    static Reply invalidate(Call c) {
        requireNotGuest(c);
        Directory.Token t = c.store.directory().token(c.var("alias"));
        if (t == null) {
            throw XnatError.notFound("Unknown alias token: " + c.var("alias"));
        }
        if (!c.user.admin() && !c.user.login().equals(t.login)) {
            throw XnatError.forbidden("Only site administrators can invalidate other users' alias tokens.");
        }
        c.store.directory().invalidate(t);
        return UserHandlers.json(200, "{\"result\":\"OK\"}");
    }

    private static Store.User subject(Call c, String notAdmin) {
        requireNotGuest(c);
        String login = c.var("login");
        if (login == null || login.equals(c.user.login())) {
            return c.user;
        }
        UserHandlers.requireAdmin(c, notAdmin);
        Store.User u = c.store.directory().user(login);
        if (u == null) {
            throw XnatError.notFound("Unknown user: " + login);
        }
        return u;
    }

    private static void requireNotGuest(Call c) {
        if (Access.isGuest(c.user)) {
            throw XnatError.forbidden("The guest user can't request alias tokens");
        }
    }
}
