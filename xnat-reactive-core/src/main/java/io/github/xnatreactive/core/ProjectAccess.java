package io.github.xnatreactive.core;

import tools.jackson.databind.JsonNode;

/**
 * A project the user can read, with how: see {@link Users#accessibleProjects()}.
 *
 * @param id the project's ID
 * @param name the project's name
 * @param accessibility {@code public}, {@code protected} or {@code private}
 * @param role the user's group there, or null when the user reads it without one (a public project, or as a site
 *     administrator)
 */
public record ProjectAccess(String id, String name, String accessibility, ProjectRole role) {
    static ProjectAccess fromJson(JsonNode n) {
        String role = n.path("role").asString("");
        return new ProjectAccess(
                n.path("ID").asString(""),
                n.path("name").asString(""),
                n.path("accessibility").asString(""),
                role.isEmpty() ? null : ProjectRole.parse(role));
    }
}
