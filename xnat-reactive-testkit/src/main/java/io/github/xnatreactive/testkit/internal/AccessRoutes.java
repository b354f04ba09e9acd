package io.github.xnatreactive.testkit.internal;

import java.util.List;

/**
 * The rows of {@link Api} for access: users (contract section 9), alias tokens (section 6.5), project groups and
 * sharing (section 4.3). Added at the top of the table, before the rows that answer 501 for what is not modelled.
 */
final class AccessRoutes {
    private AccessRoutes() {}

    static void addTo(RouteTable t, String project, List<String> subjects, List<String> experiments) {
        // ---- users
        t.route("GET,HEAD", "/data/users", UserHandlers::list);
        t.route("GET,HEAD", "/xapi/users", UserHandlers::logins);
        t.route("POST", "/xapi/users", UserHandlers::create);
        t.route("GET,HEAD", "/xapi/users/{login}", UserHandlers::one);
        t.route("GET,HEAD", "/xapi/users/{login}/roles", UserHandlers::roles);
        t.route("PUT", "/xapi/users/{login}/roles", UserHandlers::setRoles);
        t.route("GET,HEAD", "/xapi/users/{login}/groups", UserHandlers::groups);
        t.route("GET,HEAD", "/xapi/users/{login}/{flag:enabled|verified}", UserHandlers::flag);
        t.route("PUT", "/xapi/users/{login}/{flag:enabled|verified}/{value}", UserHandlers::setFlag);
        t.route("GET,HEAD", "/xapi/access/projects", UserHandlers::accessibleProjects);

        // ---- project groups
        t.route("GET,HEAD", project + "/users", UserHandlers::members);
        t.route("GET,HEAD", project + "/users/{all:true|false}", UserHandlers::members);
        t.route("PUT", project + "/users/{group}/{logins}", UserHandlers::addMembers);
        t.route("DELETE", project + "/users/{group}/{logins}", UserHandlers::removeMembers);

        // ---- alias tokens
        String tokens = "/data/services/tokens";
        t.route("GET,POST", tokens + "/issue", TokenHandlers::issue);
        t.route("GET,POST", tokens + "/issue/user/{login}", TokenHandlers::issue);
        t.route("GET,HEAD", tokens + "/show", TokenHandlers::show);
        t.route("GET,HEAD", tokens + "/show/user/{login}", TokenHandlers::show);
        t.route("GET,HEAD", tokens + "/validate/{alias}/{secret}", TokenHandlers::validate);
        t.route("GET,POST,DELETE", tokens + "/invalidate/{alias}", TokenHandlers::invalidate);

        // ---- sharing
        List<String> items = new java.util.ArrayList<>(subjects);
        for (String e : experiments) {
            items.add(e);
            items.add(e + "/assessors/{assessor}");
        }
        for (String e : experiments) {
            t.route("PUT", e + "/scans/{scan}/projects/{target}", SharingHandlers::shareScan);
        }
        for (String item : items) {
            t.route("GET,HEAD", item + "/projects", SharingHandlers::list);
            t.route("PUT", item + "/projects/{target}", SharingHandlers::share);
            t.route("DELETE", item + "/projects/{target}", SharingHandlers::unshare);
        }
    }
}
