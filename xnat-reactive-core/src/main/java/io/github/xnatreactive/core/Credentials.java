package io.github.xnatreactive.core;

import java.util.Objects;

/**
 * How the client authenticates. Immutable. {@link #toString()} never shows a secret.
 *
 * <pre>{@code
 * Credentials byPassword = Credentials.password(user, password);
 * Credentials byToken = Credentials.aliasToken(alias, tokenSecret); // from /data/services/tokens/issue
 * Credentials bySession = Credentials.sessionId(jsessionId); // an existing JSESSIONID; cannot be renewed
 * Credentials guest = Credentials.anonymous(); // guest access to public projects
 * XnatClient xnat = XnatClient.builder().serverUrl(url).credentials(byPassword).build();
 * }</pre>
 */
public final class Credentials {
    enum Kind {
        PASSWORD,
        ALIAS_TOKEN,
        SESSION,
        ANONYMOUS
    }

    private final Kind kind;
    private final String user;
    private final String secret;

    private Credentials(Kind kind, String user, String secret) {
        this.kind = kind;
        this.user = user;
        this.secret = secret;
    }

    /**
     * A login and password. The client logs in once and logs in again when the server session expires.
     *
     * @param user the login; non-empty, without {@code :}
     * @param password the password; not null
     * @return the credentials
     * @throws IllegalArgumentException when {@code user} is empty or contains {@code :}
     */
    public static Credentials password(String user, String password) {
        requireUser(user);
        return new Credentials(Kind.PASSWORD, user, Objects.requireNonNull(password, "password"));
    }

    /**
     * An alias token (from XNAT's {@code /data/services/tokens/issue}): the alias acts as the user name and the
     * secret as the password. Tokens expire on the server (after 48 hours by default); then requests fail with
     * {@link XnatAuthenticationException}.
     *
     * @param alias the token's alias; non-empty, without {@code :}
     * @param secret the token's secret; not null
     * @return the credentials
     * @throws IllegalArgumentException when {@code alias} is empty or contains {@code :}
     */
    public static Credentials aliasToken(String alias, String secret) {
        requireUser(alias);
        return new Credentials(Kind.ALIAS_TOKEN, alias, Objects.requireNonNull(secret, "secret"));
    }

    /**
     * An existing server session. When it expires the client cannot log in again: requests fail with
     * {@link XnatAuthenticationException}.
     *
     * @param jsessionId the value of the {@code JSESSIONID} cookie
     * @return the credentials
     * @throws IllegalArgumentException when {@code jsessionId} is null or blank
     */
    public static Credentials sessionId(String jsessionId) {
        if (jsessionId == null || jsessionId.isBlank()) {
            throw new IllegalArgumentException("session id must not be empty");
        }
        return new Credentials(Kind.SESSION, null, jsessionId);
    }

    /**
     * The login and password that a netrc file holds for the server's host (its {@code machine} entry, else its
     * {@code default} entry), if any.
     *
     * @param netrc the netrc file; a missing file gives an empty result
     * @param serverUrl the server whose host selects the entry
     * @return password credentials, or empty when the file has no entry (or no password) for the host
     * @throws java.io.UncheckedIOException when the file exists but cannot be read
     * @throws IllegalArgumentException when {@code serverUrl} is not a valid URL (the message never shows its user
     *     info)
     */
    public static java.util.Optional<Credentials> fromNetrc(java.nio.file.Path netrc, String serverUrl) {
        try {
            var found = io.github.xnatreactive.core.internal.ConfigSources.netrc(netrc, serverUrl);
            if (found == null || found.user() == null || found.password() == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(password(found.user(), found.password()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + netrc, e);
        }
    }

    /**
     * No login: guest access, which XNAT grants to public projects only. Other requests fail with
     * {@link XnatAuthenticationException}.
     *
     * @return the anonymous credentials
     */
    public static Credentials anonymous() {
        return new Credentials(Kind.ANONYMOUS, null, null);
    }

    private static void requireUser(String user) {
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("user must be non-empty and contain no ':'");
        }
    }

    Kind kind() {
        return kind;
    }

    /**
     * The login these credentials log in with.
     *
     * @return the login (or alias), or null for session and anonymous credentials
     */
    public String user() {
        return user;
    }

    String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PASSWORD -> "Credentials[password, user=" + user + "]";
            case ALIAS_TOKEN -> "Credentials[alias token]";
            case SESSION -> "Credentials[session]";
            case ANONYMOUS -> "Credentials[anonymous]";
        };
    }
}
