package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;

/**
 * A user in one of a project's groups, as {@link ProjectRef#users()} lists them.
 *
 * @param login the user's login
 * @param role the user's group in the project
 * @param firstname the first name
 * @param lastname the last name
 * @param email the e-mail address
 * @param groupId XNAT's ID of the group, e.g. {@code P1_member}
 */
public record ProjectMember(
        String login, ProjectRole role, String firstname, String lastname, String email, String groupId) {
    /**
     * Builds the record from a row of {@code /data/projects/{P}/users}.
     *
     * @param row the row ({@code login}, {@code displayname}, {@code GROUP_ID}, {@code firstname}...)
     * @return the member
     * @throws XnatProtocolException when the row names no known group
     */
    public static ProjectMember from(Map<String, String> row) {
        String group = s(row, "displayname").isEmpty() ? s(row, "GROUP_ID") : s(row, "displayname");
        ProjectRole role;
        try {
            role = ProjectRole.parse(group);
        } catch (IllegalArgumentException e) {
            throw new XnatProtocolException("Unknown project group '" + group + "' for user " + s(row, "login"));
        }
        return new ProjectMember(
                s(row, "login"), role, s(row, "firstname"), s(row, "lastname"), s(row, "email"), s(row, "GROUP_ID"));
    }
}
