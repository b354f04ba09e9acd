package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatHttpException;
import io.github.xnatreactive.core.XnatProtocolException;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Step 3, session: one server session shared by every request. The first request logs in (one login at a time,
 * shared by all requests waiting for it); a 401 on a request sent with the session logs in anew, once for all
 * requests in flight, and replays the request (twice at most). Also the heartbeat that keeps an idle session alive,
 * and the logout on close.
 */
final class SessionStep implements Step {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final int MAX_RENEWALS = 2;
    private static final int MAX_STALE_REPLAYS = 4;

    private final TransportConfig cfg;
    /** The path of the login request itself: defaults, retry, error mapping, wire (no session step). */
    private final Step.Chain loginPath;

    private final Events events;
    private final AtomicReference<Login> login = new AtomicReference<>();
    private final AtomicReference<Mono<Login>> inFlight = new AtomicReference<>();

    SessionStep(TransportConfig cfg, Step.Chain loginPath) {
        this.cfg = cfg;
        this.loginPath = loginPath;
        this.events = new Events(cfg.eventListener());
    }

    /** One login: the server session cookie, or Basic credentials for servers without sessions. */
    static final class Login {
        final String cookie;
        final String basic;
        final boolean renewable;

        Login(String cookie, String basic, boolean renewable) {
            this.cookie = cookie;
            this.basic = basic;
            this.renewable = renewable;
        }

        @Override
        public String toString() {
            return "Login[***]";
        }
    }

    /** The shared login failed (after its own retries); the requests waiting for it fail with the cause. */
    static final class LoginFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoginFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    @Override
    public <T> Flux<T> handle(Call<T> call, Chain next) {
        return withSession(call, next, 0, 0);
    }

    /**
     * Sends the call with the current login; on a 401, logs in anew and replays it. A 401 for a login that another
     * request has already replaced (the server forgot the session while this one was on its way) is replayed with
     * the newer login without counting as a rejection of this request's own; at most {@link #MAX_RENEWALS}
     * rejections of the current login (and {@link #MAX_STALE_REPLAYS} replays in all besides) before it fails.
     */
    private <T> Flux<T> withSession(Call<T> call, Chain next, int renewals, int staleReplays) {
        return session().flatMapMany(l -> next.proceed(call.withLogin(l))
                .onErrorResume(e -> l.renewable && e instanceof XnatHttpException h && h.status() == 401, e -> {
                    Request req = call.request;
                    boolean stale = login.get() != l;
                    if (stale ? staleReplays >= MAX_STALE_REPLAYS : renewals >= MAX_RENEWALS) {
                        return Flux.error(new XnatAuthenticationException(
                                req.method,
                                req.redactedUri(),
                                "The server rejected the session again after logging in anew"));
                    }
                    if (!stale && login.compareAndSet(l, null)) {
                        events.sessionRenewed(call);
                    }
                    log.debug("session rejected (401); logging in again and replaying {} {}", req.method, req.template);
                    return stale
                            ? withSession(call, next, renewals, staleReplays + 1)
                            : withSession(call, next, renewals + 1, staleReplays);
                }));
    }

    /** The current login, starting one (only one at a time, shared by all requests) when there is none. */
    private Mono<Login> session() {
        Login current = login.get();
        if (current != null) {
            return Mono.just(current);
        }
        Mono<Login> existing = inFlight.get();
        if (existing != null) {
            return existing;
        }
        Mono<Login> flight = doLogin()
                .onErrorMap(LoginFailed::new)
                .doOnNext(login::set)
                .doFinally(s -> inFlight.set(null))
                .cache();
        if (inFlight.compareAndSet(null, flight)) {
            return flight;
        }
        return Mono.defer(this::session);
    }

    private Mono<Login> doLogin() {
        TransportConfig.Auth auth = cfg.auth();
        switch (auth.kind()) {
            case ANONYMOUS -> {
                return Mono.just(new Login(null, null, false));
            }
            case SESSION -> {
                return Mono.just(new Login(auth.secret(), null, false));
            }
            default -> {
                String basic = "Basic "
                        + Base64.getEncoder()
                                .encodeToString((auth.user() + ":" + auth.secret()).getBytes(StandardCharsets.UTF_8));
                Request req =
                        Request.get("/data/JSESSION").template("/data/JSESSION").build();
                BodyReader<String> reader = BodyReaders.text().map(SessionStep::sessionId);
                // the login keeps the client's own retry policy, whoever's request started it
                Call<String> c = Call.of(req, reader, new Call.Options(cfg.retry(), null, e -> {}))
                        .withLogin(new Login(null, basic, false));
                return events.exchange(c, loginPath)
                        .next()
                        .onErrorMap(XnatHttpException.class, f -> loginFailure(f, auth))
                        .map(id -> new Login(id, null, true));
            }
        }
    }

    /**
     * What a failed login means: 401 wrong credentials; a redirect (XNAT sends its login page when it does not
     * take the credentials, or a single sign-on front end does) is an authentication failure too; 404 means no
     * XNAT at that URL, most often a missing or wrong context path.
     */
    private Throwable loginFailure(XnatHttpException f, TransportConfig.Auth auth) {
        String at = cfg.baseUrl() + "/data/JSESSION";
        return switch (f.status()) {
            case 401 ->
                new XnatAuthenticationException(
                        "GET",
                        "/data/JSESSION",
                        "Login failed for " + auth.describeUser() + " at " + cfg.baseUrl()
                                + ": wrong user name, password or token");
            case 301, 302, 303, 307, 308 ->
                new XnatAuthenticationException(
                        "GET",
                        "/data/JSESSION",
                        "Login for " + auth.describeUser() + " at " + at + " was redirected (HTTP " + f.status()
                                + ") instead of accepted: wrong user name, password or token, or a login page"
                                + " in front of XNAT");
            case 404 ->
                new io.github.xnatreactive.core.XnatNotFoundException(
                        "GET",
                        "/data/JSESSION",
                        "No XNAT login at " + at + ": is " + cfg.baseUrl() + " the server's URL, with its"
                                + " context path if it has one (e.g. https://host/xnat)?");
            default -> f;
        };
    }

    private static String sessionId(HttpClientResponse res, String body) {
        for (String setCookie : res.responseHeaders().getAll(HttpHeaderNames.SET_COOKIE)) {
            String first = setCookie.split(";", 2)[0].trim();
            if (first.startsWith("JSESSIONID=") && first.length() > "JSESSIONID=".length()) {
                return first.substring("JSESSIONID=".length());
            }
        }
        String id = body.strip();
        if (id.isEmpty() || id.contains(" ") || id.contains("<")) {
            throw new XnatProtocolException("The login reply carried no session ID (is this an XNAT server?)");
        }
        return id;
    }

    /** Whether the client holds a server session now. */
    boolean loggedIn() {
        Login l = login.get();
        return l != null && l.cookie != null;
    }

    /**
     * Touches the session every {@code every} on the client's scheduler (through the whole pipeline, so a renewed
     * session is kept alive too); a failed beat is logged and the next one tried.
     */
    Disposable heartbeat(Duration every, java.util.function.Supplier<Mono<?>> touch) {
        return Flux.interval(every, every, cfg.scheduler())
                .onBackpressureLatest() // a tick during a slow beat waits for it, not piling up
                .concatMap(i -> touch.get()
                        .doOnError(e -> log.warn("session heartbeat failed: {}", e.toString()))
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    /** Ends the server session if this client started it; never fails. */
    Mono<Void> logout(Step.Chain wirePath) {
        Login l = login.get();
        if (l == null || l.cookie == null || !l.renewable) {
            return Mono.empty();
        }
        Request req =
                Request.delete("/data/JSESSION").template("/data/JSESSION").build();
        Call<Void> c = Call.of(req, BodyReaders.discard(), new Call.Options(null, null, e -> {}))
                .withLogin(l);
        // an exchange like any request, so that metrics and traces count the logout too
        return events.exchange(c, wirePath)
                .then()
                .timeout(Duration.ofSeconds(5))
                .doOnError(e -> log.debug("logout failed: {}", e.toString()))
                .onErrorResume(e -> Mono.empty());
    }
}
