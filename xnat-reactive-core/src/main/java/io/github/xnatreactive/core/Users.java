package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The site's users: listing, records, and (for site administrators) creating, enabling and disabling users and
 * setting their roles; also the projects the calling user can read. Made with {@link XnatClient#users()}; no I/O
 * until a result is subscribed. Calls the user may not make fail with {@link XnatForbiddenException} (403), never
 * with an empty result.
 *
 * <pre>{@code
 * Users users = xnat.users();
 * List<String> logins = users.list().map(XnatUser::login).collectList().block(); // administrators
 * users.create(new NewUser("bob", "b0b-pw", "Bob", "Builder", "bob@example.org")).block();
 * users.setEnabled("bob", false).block(); // bob can no longer log in
 * List<ProjectAccess> mine = users.accessibleProjects().collectList().block();
 * }</pre>
 */
public final class Users {
    private final XnatClient client;

    Users(XnatClient client) {
        this.client = client;
    }

    /**
     * Lists the site's users with their names, e-mail and ID ({@code GET /data/users}). XNAT lets only site
     * administrators list them when its {@code restrictUserListAccessToAdmins} preference is on (the default).
     *
     * @return the users; {@link XnatForbiddenException} when the user may not list them
     */
    public Flux<XnatUser> list() {
        return client.rows("/data/users", "/data/users", Map.of()).map(XnatUser::from);
    }

    /**
     * Reads one user's record ({@code GET /xapi/users/{login}}).
     *
     * @param login the user's login
     * @return the user; {@link XnatNotFoundException} for an unknown login, {@link XnatForbiddenException} when a
     *     non-administrator asks for someone else
     */
    public Mono<XnatUser> get(String login) {
        return client.transport()
                .json(get(userPath(login), "/xapi/users/{login}"))
                .map(XnatUser::fromJson);
    }

    /**
     * Creates a user (site administrators only): {@code POST /xapi/users}. The user is enabled and verified.
     *
     * @param user the login, password, names and e-mail
     * @return the created user; {@link XnatConflictException} when the login is taken,
     *     {@link XnatForbiddenException} for a non-administrator
     */
    public Mono<XnatUser> create(NewUser user) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("username", user.login());
        body.put("password", user.password());
        body.put("firstName", user.firstname());
        body.put("lastName", user.lastname());
        body.put("email", user.email());
        body.put("enabled", true);
        body.put("verified", true);
        Request req = withJson(Request.post("/xapi/users").template("/xapi/users"), body.toString())
                .idempotent(false)
                .build();
        return client.transport().json(req).map(XnatUser::fromJson);
    }

    /**
     * Enables or disables a user (site administrators only). A disabled user cannot log in, with a password or an
     * alias token.
     *
     * @param login the user's login
     * @param enabled false to disable
     * @return completes when the server has stored it
     */
    public Mono<Void> setEnabled(String login, boolean enabled) {
        return flag(login, "enabled", enabled);
    }

    /**
     * Marks a user's e-mail address as verified or not (site administrators only).
     *
     * @param login the user's login
     * @param verified the new flag
     * @return completes when the server has stored it
     */
    public Mono<Void> setVerified(String login, boolean verified) {
        return flag(login, "verified", verified);
    }

    /**
     * Reads a user's site roles ({@code GET /xapi/users/{login}/roles}).
     *
     * @param login the user's login
     * @return the roles, e.g. {@code Administrator}; none for an ordinary user
     */
    public Flux<String> roles(String login) {
        return client.transport()
                .json(get(userPath(login) + "/roles", "/xapi/users/{login}/roles"))
                .flatMapIterable(Users::strings);
    }

    /**
     * Reads the project groups a user is in ({@code GET /xapi/users/{login}/groups}): the user themselves or a site
     * administrator may ask.
     *
     * @param login the user's login
     * @return the groups' IDs, {@code {project}_owner}, {@code {project}_member} or {@code {project}_collaborator};
     *     {@link XnatForbiddenException} for another user's groups without being an administrator
     */
    public Flux<String> groups(String login) {
        return client.transport()
                .json(get(userPath(login) + "/groups", "/xapi/users/{login}/groups"))
                .flatMapIterable(Users::strings);
    }

    /**
     * Sets a user's site roles (site administrators only); {@code Administrator} makes a site administrator.
     *
     * @param login the user's login
     * @param roles the roles the user will have, exactly
     * @return completes when the server has stored them
     */
    public Mono<Void> setRoles(String login, Collection<String> roles) {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        roles.forEach(body::add);
        Request req = withJson(
                        Request.put(userPath(login) + "/roles").template("/xapi/users/{login}/roles"), body.toString())
                .build();
        return client.transport().discard(req);
    }

    /**
     * Lists the projects the calling user can read, each with the user's group there
     * ({@code GET /xapi/access/projects}).
     *
     * @return the projects; the role is null for those read without a group (public ones, or as an administrator)
     */
    public Flux<ProjectAccess> accessibleProjects() {
        return client.transport()
                .json(get("/xapi/access/projects", "/xapi/access/projects"))
                .flatMapIterable(n -> n)
                .map(ProjectAccess::fromJson);
    }

    private Mono<Void> flag(String login, String name, boolean value) {
        return client.transport()
                .discard(Request.put(userPath(login) + "/" + name + "/" + value)
                        .template("/xapi/users/{login}/" + name + "/{value}")
                        .build());
    }

    private static String userPath(String login) {
        return "/xapi/users/" + Uris.segment(login);
    }

    private static Request get(String path, String template) {
        return Request.get(path).template(template).build();
    }

    static Request.Builder withJson(Request.Builder b, String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        return b.body("application/json", data.length, () -> Mono.fromSupplier(() -> Unpooled.wrappedBuffer(data)));
    }

    static java.util.List<String> strings(JsonNode n) {
        if (!n.isArray()) {
            throw new XnatProtocolException("Expected a JSON array, got " + n.getNodeType());
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        n.forEach(v -> out.add(v.asString()));
        return out;
    }

    @Override
    public String toString() {
        return "Users[" + client.serverUrl() + "]";
    }
}
