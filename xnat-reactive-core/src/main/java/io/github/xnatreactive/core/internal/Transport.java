package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatException;
import io.github.xnatreactive.core.XnatHttpException;
import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.XnatTransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;

/**
 * The wire: one Reactor Netty {@link HttpClient} over the client's own connection pool, one shared server session
 * (renewed once, single-flight, when a request gets 401), retries of safe requests, and mapping of error statuses
 * and HTML pages to the exception tree. Everything the SDK sends goes through {@link #exchange}.
 */
public final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final AtomicLong POOLS = new AtomicLong();

    /** Reactor context key for a per-operation response timeout ({@code XnatClient.responseTimeout}). */
    public static final String RESPONSE_TIMEOUT_KEY = "xnat-reactive.responseTimeout";

    private final TransportConfig cfg;
    private final ConnectionProvider pool;
    private final HttpClient http;
    private final AtomicReference<Login> login = new AtomicReference<>();
    private volatile Disposable heartbeat;
    private volatile boolean closed;

    /** Handles a 2xx response; must consume or release the body on every path. */
    public interface Handler<T> extends BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> {}

    public Transport(TransportConfig cfg) {
        this.cfg = cfg;
        this.pool = ConnectionProvider.builder("xnat-reactive-" + POOLS.incrementAndGet())
                .maxConnections(cfg.maxConnections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(10))
                .maxIdleTime(cfg.maxIdleTime())
                .evictInBackground(Duration.ofSeconds(5))
                .build();
        HttpClient c = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        cfg.connectTimeout().toMillis())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .responseTimeout(cfg.responseTimeout())
                .followRedirect(false)
                .headers(h -> h.set(HttpHeaderNames.USER_AGENT, cfg.userAgent()));
        c = Tls.configure(c, cfg);
        if (cfg.proxy() != null) {
            c = cfg.proxy().apply(c);
        }
        this.http = c;
        if (cfg.heartbeat() != null) {
            this.heartbeat = Flux.interval(cfg.heartbeat(), cfg.heartbeat())
                    .onBackpressureDrop()
                    .concatMap(i -> text(Request.get("/data/JSESSION")
                                    .template("/data/JSESSION")
                                    .build())
                            .doOnError(e -> log.warn("session heartbeat failed: {}", e.toString()))
                            .onErrorResume(e -> Mono.empty()))
                    .subscribe();
        }
    }

    public TransportConfig config() {
        return cfg;
    }

    public int maxConnections() {
        return cfg.maxConnections();
    }

    // ------------------------------------------------------------------ exchange

    /**
     * Sends the request (logging in first if needed), retries it per the policy, and hands a 2xx response to the
     * handler. Error statuses become {@link XnatHttpException}s; a 401 renews the session once and replays.
     */
    public <T> Flux<T> exchange(Request req, Handler<T> handler) {
        return Flux.defer(() -> {
            if (closed) {
                return Flux.error(new XnatException("The client is closed"));
            }
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger renewals = new AtomicInteger();
            return Flux.deferContextual(ctx -> {
                        Duration timeout =
                                ctx.<Duration>getOrEmpty(RESPONSE_TIMEOUT_KEY).orElse(req.responseTimeout);
                        RetryPolicy policy =
                                ctx.<RetryPolicy>getOrEmpty(RETRY_POLICY_KEY).orElse(cfg.retry());
                        java.util.function.Consumer<Throwable> onRetry = ctx.<java.util.function.Consumer<Throwable>>
                                        getOrEmpty(RETRY_LISTENER_KEY)
                                .orElse(e -> {});
                        return Flux.defer(() -> session().flatMapMany(l -> attempt(req, l, handler, timeout)))
                                .retryWhen(Retry.from(signals ->
                                        signals.concatMap(rs -> decide(req, policy, rs.failure(), attempts, renewals)
                                                .doOnNext(n -> {
                                                    if (!(rs.failure() instanceof StaleLogin)) {
                                                        onRetry.accept(rs.failure());
                                                    }
                                                }))));
                    })
                    .onErrorMap(LoginFailed.class, f -> f.getCause())
                    .onErrorMap(
                            TransportFailures::isTransportFailure,
                            e -> new XnatTransportException(req.method, req.redactedUri(), e));
        });
    }

    /**
     * The 2xx body as text. An HTML page is an error ({@link XnatProtocolException}: XNAT answers some failures,
     * such as its login page, with 200) unless the request asked for HTML ({@code format=html}).
     */
    public Mono<String> text(Request req) {
        return exchange(req, (res, body) -> body.aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> {
                            if (!wantsHtml(req) && Html.looksLikeHtml(text)) {
                                throw htmlOn2xx(req, res.status().code(), text);
                            }
                            return text;
                        }))
                .next()
                .defaultIfEmpty("");
    }

    /** Reactor context key for a {@code Consumer<Throwable>} told of each retry (see {@code XnatClient.onRetry}). */
    public static final String RETRY_LISTENER_KEY = "xnat-reactive.retryListener";

    /**
     * Reactor context key for a {@link RetryPolicy} that replaces the client's for the requests made inside the
     * subscription (see {@code XnatClient.retryPolicy}).
     */
    public static final String RETRY_POLICY_KEY = "xnat-reactive.retryPolicy";

    /** Sends the request and discards a 2xx body; an HTML page instead of the expected reply is an error. */
    public Mono<Void> discard(Request req) {
        return exchange(req, (res, body) -> {
                    if (wantsHtml(req)) {
                        return body.then();
                    }
                    // look at the first bytes only, then drain the rest without holding it
                    StringBuilder head = new StringBuilder();
                    return body.doOnNext(buf -> {
                                if (head.length() < 64) {
                                    int n = Math.min(buf.readableBytes(), 64 - head.length());
                                    head.append(buf.toString(buf.readerIndex(), n, StandardCharsets.UTF_8));
                                }
                            })
                            .then(Mono.fromCallable(() -> {
                                if (Html.looksLikeHtml(head)) {
                                    throw htmlOn2xx(req, res.status().code(), head.toString());
                                }
                                return Boolean.TRUE;
                            }))
                            .then();
                })
                .then();
    }

    private static boolean wantsHtml(Request req) {
        return req.query.stream()
                .anyMatch(e -> e.getKey().equals("format") && e.getValue().equalsIgnoreCase("html"));
    }

    private static XnatProtocolException htmlOn2xx(Request req, int status, String text) {
        String m = Html.message(text);
        return new XnatProtocolException(req.method + " " + req.redactedUri() + " answered " + status
                + " with an HTML page where XNAT sends data" + (m.isEmpty() ? "" : " (" + m + ")")
                + "; is the URL an XNAT server, and are the credentials accepted?");
    }

    private <T> Flux<T> attempt(Request req, Login l, Handler<T> handler) {
        return attempt(req, l, handler, req.responseTimeout);
    }

    private <T> Flux<T> attempt(Request req, Login l, Handler<T> handler, Duration responseTimeout) {
        long start = System.nanoTime();
        HttpClient c = http.headers(h -> {
            if (l.cookie != null) {
                h.set(HttpHeaderNames.COOKIE, "JSESSIONID=" + l.cookie);
            } else if (l.basic != null) {
                h.set(HttpHeaderNames.AUTHORIZATION, l.basic);
            }
            if (req.contentType != null) {
                h.set(HttpHeaderNames.CONTENT_TYPE, req.contentType);
            }
            if (req.contentLength >= 0) {
                h.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(req.contentLength));
            }
        });
        if (responseTimeout != null) {
            c = c.responseTimeout(responseTimeout);
        }
        HttpClient.RequestSender sender =
                c.request(HttpMethod.valueOf(req.method)).uri(cfg.baseUrl() + req.uri());
        HttpClient.ResponseReceiver<?> receiver;
        if (req.file != null) {
            receiver =
                    cfg.secure() ? sender.send(readChunks(req.file)) : sender.send((rq, out) -> out.sendFile(req.file));
        } else if (req.body != null) {
            receiver = sender.send(req.body.get());
        } else {
            receiver = sender;
        }
        return receiver.response((res, body) -> {
            int status = res.status().code();
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {} -> {} in {} ms",
                        req.method,
                        req.template,
                        status,
                        (System.nanoTime() - start) / 1_000_000);
            }
            if (status == 401 && l.renewable()) {
                return body.then(Mono.error(new StaleLogin(l)));
            }
            if (status >= 300) {
                String retryAfter = res.responseHeaders().get(HttpHeaderNames.RETRY_AFTER);
                return body.aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(text -> Mono.error(XnatHttpException.of(
                                req.method,
                                status,
                                req.redactedUri(),
                                message(status, text),
                                TransportFailures.parseRetryAfter(retryAfter))));
            }
            return handler.apply(res, body);
        });
    }

    private static String message(int status, String body) {
        String m = Html.message(body);
        if (status == 302 && m.isEmpty()) {
            return "XNAT redirected to its login page";
        }
        return m;
    }

    /** Reads a file in 256 KiB chunks off the event loop (TLS cannot use zero-copy). */
    private static Flux<ByteBuf> readChunks(Path file) {
        return Flux.using(
                        () -> FileChannel.open(file, StandardOpenOption.READ),
                        ch -> Flux.<ByteBuf>generate(sink -> {
                            try {
                                ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                                int n = ch.read(buf);
                                if (n < 0) {
                                    sink.complete();
                                } else {
                                    buf.flip();
                                    sink.next(io.netty.buffer.Unpooled.wrappedBuffer(buf));
                                }
                            } catch (IOException e) {
                                sink.error(e);
                            }
                        }),
                        ch -> {
                            try {
                                ch.close();
                            } catch (IOException ignored) {
                                // closing a read channel
                            }
                        })
                .subscribeOn(Schedulers.boundedElastic());
    }

    // ------------------------------------------------------------------ retry

    private Mono<Long> decide(
            Request req, RetryPolicy policy, Throwable failure, AtomicInteger attempts, AtomicInteger renewals) {
        if (failure instanceof LoginFailed) {
            // the login retried on its own already; retrying the request would multiply the attempts
            return Mono.error(failure);
        }
        if (failure instanceof StaleLogin stale) {
            if (renewals.incrementAndGet() > 2) {
                return Mono.error(new XnatAuthenticationException(
                        req.method, req.redactedUri(), "The server rejected the session again after logging in anew"));
            }
            login.compareAndSet(stale.login, null);
            log.debug("session rejected (401); logging in again and replaying {} {}", req.method, req.template);
            return Mono.just(0L);
        }
        int attempt = attempts.incrementAndGet();
        if (!policy.retryable(req.method, req.idempotent, -1, failure)) {
            return Mono.error(failure);
        }
        Duration delay = policy.delayBeforeRetry(attempt, failure).orElse(null);
        if (delay == null) {
            return Mono.error(failure);
        }
        log.debug("retrying {} {} in {} ms after: {}", req.method, req.template, delay.toMillis(), failure.toString());
        return Mono.delay(delay).thenReturn((long) attempt);
    }

    /** The shared login failed (after its own retries); the requests waiting for it fail with the cause. */
    static final class LoginFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoginFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** A 401 on a request sent with a session: log in again and replay. */
    static final class StaleLogin extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Login login;

        StaleLogin(Login login) {
            super("session rejected", null, false, false);
            this.login = login;
        }
    }

    // ------------------------------------------------------------------ session

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

        boolean renewable() {
            return renewable;
        }

        @Override
        public String toString() {
            return "Login[***]";
        }
    }

    /** The current login, starting one (only one at a time, shared by all requests) when there is none. */
    private Mono<Login> session() {
        Login current = login.get();
        if (current != null) {
            return Mono.just(current);
        }
        return loginFlight();
    }

    private final AtomicReference<Mono<Login>> inFlight = new AtomicReference<>();

    private Mono<Login> loginFlight() {
        Mono<Login> existing = inFlight.get();
        if (existing != null) {
            return existing;
        }
        Mono<Login> flight = doLogin()
                .onErrorMap(LoginFailed::new)
                .doOnNext(l -> login.set(l))
                .doFinally(s -> inFlight.set(null))
                .cache();
        if (inFlight.compareAndSet(null, flight)) {
            return flight;
        }
        Mono<Login> other = inFlight.get();
        return other != null ? other : session();
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
                Login basicLogin = new Login(null, basic, false);
                return Flux.defer(() -> attempt(req, basicLogin, (res, body) -> body.aggregate()
                                .asString(StandardCharsets.UTF_8)
                                .defaultIfEmpty("")
                                .map(text -> sessionId(res, text))))
                        .retryWhen(Retry.from(signals -> {
                            AtomicInteger attempts = new AtomicInteger();
                            return signals.concatMap(
                                    rs -> decide(req, cfg.retry(), rs.failure(), attempts, new AtomicInteger()));
                        }))
                        .onErrorMap(
                                XnatHttpException.class,
                                f -> f.status() == 401
                                        ? new XnatAuthenticationException(
                                                "GET",
                                                "/data/JSESSION",
                                                "Login failed for " + auth.describeUser() + " at " + cfg.baseUrl()
                                                        + ": wrong user name, password or token")
                                        : f)
                        .next()
                        .map(id -> new Login(id, null, true));
            }
        }
    }

    private static String sessionId(HttpClientResponse res, String body) {
        for (String setCookie : res.responseHeaders().getAll(HttpHeaderNames.SET_COOKIE)) {
            String first = setCookie.split(";", 2)[0].trim();
            if (first.startsWith("JSESSIONID=") && first.length() > "JSESSIONID=".length()) {
                return first.substring("JSESSIONID=".length());
            }
        }
        String id = body.strip();
        if (id.isEmpty() || Html.looksLikeHtml(id) || id.contains(" ")) {
            throw new XnatProtocolException("The login reply carried no session ID (is this an XNAT server?)");
        }
        return id;
    }

    /** Whether the client holds a server session now. */
    public boolean loggedIn() {
        Login l = login.get();
        return l != null && l.cookie != null;
    }

    // ------------------------------------------------------------------ close

    /** Ends the server session (if this client started it), stops the heartbeat and frees the pool. */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.empty();
            }
            Disposable hb = heartbeat;
            if (hb != null) {
                hb.dispose();
            }
            Login l = login.get();
            Mono<Void> logout = Mono.empty();
            if (l != null && l.cookie != null && l.renewable) {
                logout = attempt(
                                Request.delete("/data/JSESSION")
                                        .template("/data/JSESSION")
                                        .build(),
                                l,
                                (res, body) -> body.then())
                        .then()
                        .timeout(Duration.ofSeconds(5))
                        .doOnError(e -> log.debug("logout failed: {}", e.toString()))
                        .onErrorResume(e -> Mono.empty());
            }
            closed = true;
            return logout.then(pool.disposeLater());
        });
    }
}
