package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * XNAT alias tokens ({@code /data/services/tokens}): issue one for scripts and services instead of handing them a
 * password, check one, end one. Made with {@link XnatClient#aliasTokens()}; no I/O until a result is subscribed.
 *
 * <pre>{@code
 * AliasToken token = xnat.aliasTokens().issue().block();
 * long projects;
 * try (XnatClient service = XnatClient.builder()
 *         .serverUrl(xnat.serverUrl())
 *         .credentials(token.credentials()) // logs in as the token's user
 *         .build()) {
 *     projects = service.projects().count().block();
 * }
 * xnat.aliasTokens().invalidate(token.alias()).block(); // the token no longer logs in
 * }</pre>
 */
public final class AliasTokens {
    private static final String BASE = "/data/services/tokens";

    private final XnatClient client;

    AliasTokens(XnatClient client) {
        this.client = client;
    }

    /**
     * Issues a token for the logged-in user.
     *
     * @return the token; {@link XnatForbiddenException} for the guest
     */
    public Mono<AliasToken> issue() {
        return client.transport().json(get(BASE + "/issue", BASE + "/issue")).map(AliasToken::fromJson);
    }

    /**
     * Issues a token for another user (site administrators only).
     *
     * @param login the user the token will log in as
     * @return the token; {@link XnatForbiddenException} for a non-administrator, {@link XnatNotFoundException} for
     *     an unknown login
     */
    public Mono<AliasToken> issueFor(String login) {
        return client.transport()
                .json(get(BASE + "/issue/user/" + Uris.segment(login), BASE + "/issue/user/{login}"))
                .map(AliasToken::fromJson);
    }

    /**
     * Lists the logged-in user's live tokens.
     *
     * @return the tokens that still log in
     */
    public Flux<AliasToken> list() {
        return client.transport()
                .json(get(BASE + "/show", BASE + "/show"))
                .flatMapIterable(n -> n)
                .map(AliasToken::fromJson);
    }

    /**
     * Checks a token.
     *
     * @param alias the token's alias
     * @param secret the token's secret
     * @return the login it logs in as; empty when it is unknown, wrong, expired or invalidated
     */
    public Mono<String> validate(String alias, String secret) {
        Request req = Request.get(BASE + "/validate/" + Uris.segment(alias) + "/" + Uris.segment(secret))
                .template(BASE + "/validate/{alias}/{secret}")
                .secretPath()
                .build();
        return client.transport()
                .json(req)
                .flatMap(n ->
                        n.path("valid").isString() ? Mono.just(n.path("valid").asString()) : Mono.empty());
    }

    /**
     * Ends a token: it no longer logs in (sessions already opened with it keep running until they expire).
     *
     * @param alias the token's alias
     * @return completes when the server has ended it; {@link XnatNotFoundException} for an unknown alias,
     *     {@link XnatForbiddenException} for someone else's token (unless an administrator)
     */
    public Mono<Void> invalidate(String alias) {
        return client.transport()
                .discard(get(BASE + "/invalidate/" + Uris.segment(alias), BASE + "/invalidate/{alias}"));
    }

    private static Request get(String path, String template) {
        return Request.get(path).template(template).build();
    }

    @Override
    public String toString() {
        return "AliasTokens[" + client.serverUrl() + "]";
    }
}
