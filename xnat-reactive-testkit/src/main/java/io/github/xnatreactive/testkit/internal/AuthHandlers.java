package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Sessions and logins (contract section 6) and the site information under {@code /xapi}. */
final class AuthHandlers {
    private final Store store;
    private final Sessions sessions;

    AuthHandlers(Store store, Sessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    /** {@code GET/POST /data/JSESSION}: the session ID as text. */
    Reply session(Call c) {
        return Reply.text(200, "text/plain", c.session.id);
    }

    /** {@code DELETE /data/JSESSION}: logs out and clears the cookie. */
    Reply logout(Call c) {
        sessions.invalidate(c.session.id);
        c.setCookies.clear();
        c.setCookies.add("JSESSIONID=; Path=/; Max-Age=0; HttpOnly");
        return Reply.empty(200);
    }

    /** {@code GET /data/auth}. */
    Reply whoami(Call c) {
        return Reply.text(200, "text/plain", "User '" + c.user.login() + "' is logged in");
    }

    /** {@code PUT/POST /data/services/auth} with form fields username and password (XNATpy's login). */
    Reply formLogin(Call c) {
        Query form = new Query();
        if (c.body != null) {
            try {
                form.addAll(Files.readString(c.body.file(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String user = form.get("username", c.query.get("username"));
        String password = form.get("password", c.query.get("password"));
        Store.User u = user == null || password == null ? null : store.authenticate(user, password);
        if (u == null) {
            return Reply.text(401, "text/html;charset=utf-8", Pages.tomcat(401, "Unauthorized", "Bad credentials"));
        }
        Sessions.Session s = sessions.create(u);
        c.setCookies.add("JSESSIONID=" + s.id + "; Path=/; HttpOnly");
        c.setCookies.add(sessions.expirationCookie());
        return Reply.text(200, "text/plain", s.id);
    }

    /** {@code GET /xapi/siteConfig/buildInfo} (open to anonymous callers, as on XNAT). */
    Reply buildInfo(Call c) {
        String now = Long.toString(System.currentTimeMillis());
        return Reply.text(
                200,
                "application/json",
                "{\"version\":\"1.8.11\",\"buildNumber\":\"testkit\","
                        + "\"buildDate\":\"" + now
                        + "\",\"sha\":\"testkit\",\"commit\":\"testkit\",\"tag\":\"1.8.11\","
                        + "\"branch\":\"testkit\",\"timestamp\":\"" + now
                        + "\",\"server\":\"xnat-reactive-testkit\"}");
    }

    /** {@code GET /xapi/siteConfig/siteId}. */
    Reply siteId(Call c) {
        return Reply.text(200, "text/plain", store.siteId());
    }
}
