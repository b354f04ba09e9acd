package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A user of the site, as {@link Users#list()} ({@code /data/users}) or {@link Users#get(String)}
 * ({@code /xapi/users/{login}}) return it. Never holds a password.
 *
 * @param login the login
 * @param firstname the first name
 * @param lastname the last name
 * @param email the e-mail address
 * @param id XNAT's numeric user ID ({@code xdat_user_id}), -1 when the server did not send it
 * @param enabled whether the user may log in
 * @param verified whether the user's e-mail address is verified
 */
public record XnatUser(
        String login, String firstname, String lastname, String email, long id, boolean enabled, boolean verified) {
    /**
     * Builds the record from a row of {@code /data/users}.
     *
     * @param row the row ({@code login}, {@code firstname}, {@code lastname}, {@code email}, {@code xdat_user_id};
     *     {@code enabled} and {@code verified} count as true when absent)
     * @return the user
     * @throws XnatProtocolException when {@code xdat_user_id} is not a number
     */
    public static XnatUser from(Map<String, String> row) {
        return new XnatUser(
                s(row, "login"),
                s(row, "firstname"),
                s(row, "lastname"),
                s(row, "email"),
                Records.l(row, "xdat_user_id"),
                !"false".equalsIgnoreCase(s(row, "enabled")),
                !"false".equalsIgnoreCase(s(row, "verified")));
    }

    /** From XNAT's XAPI user JSON ({@code username}, {@code firstName}, {@code lastName}, {@code email}...). */
    static XnatUser fromJson(JsonNode n) {
        return new XnatUser(
                n.path("username").asString(""),
                n.path("firstName").asString(""),
                n.path("lastName").asString(""),
                n.path("email").asString(""),
                n.path("id").asLong(-1),
                n.path("enabled").asBoolean(true),
                n.path("verified").asBoolean(true));
    }
}
