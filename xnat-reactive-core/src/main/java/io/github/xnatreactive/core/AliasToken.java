package io.github.xnatreactive.core;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An XNAT alias token: an alias and a secret that log in as {@code login} (as Basic credentials, or to open a
 * session) until the token expires or is invalidated. Issue one with {@link AliasTokens#issue()}, log in with
 * {@link #credentials()}. {@link #toString()} never shows the secret.
 *
 * @param alias the token's alias (acts as the user name)
 * @param secret the token's secret (acts as the password)
 * @param login the user the token logs in as
 * @param created when it was issued
 * @param expires when the server will stop accepting it (two days after issue on a default XNAT)
 */
public record AliasToken(String alias, String secret, String login, Instant created, Instant expires) {
    /**
     * Credentials that log in with this token.
     *
     * @return {@link Credentials#aliasToken(String, String)} of the alias and secret
     */
    public Credentials credentials() {
        return Credentials.aliasToken(alias, secret);
    }

    static AliasToken fromJson(JsonNode n) {
        String alias = n.path("alias").asString("");
        String secret = n.path("secret").asString("");
        if (alias.isEmpty() || secret.isEmpty()) {
            throw new XnatProtocolException("The server's alias token has no alias or secret");
        }
        return new AliasToken(
                alias,
                secret,
                n.path("xdatUserId").asString(""),
                Instant.ofEpochMilli(n.path("created").asLong(0)),
                Instant.ofEpochMilli(n.path("estimatedExpirationTime").asLong(0)));
    }

    @Override
    public String toString() {
        return "AliasToken[" + alias + " for " + login + ", expires " + expires + "]";
    }
}
