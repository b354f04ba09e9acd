package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * Everything the SDK sends goes through {@link #exchange}: a pipeline of steps, each one concept, in this order
 * (see the constructor):
 *
 * <ol>
 *   <li>request defaults ({@code DefaultsStep}): the User-Agent, no request once closed;
 *   <li>retry ({@code RetryStep}): the {@link RetryPolicy} decides, the client's scheduler waits;
 *   <li>session ({@code SessionStep}): login, single-flight renewal on 401, heartbeat;
 *   <li>error mapping ({@code ErrorMappingStep}): status to exception, HTML on a 2xx, transport failures;
 *   <li>wire ({@code WireStep}): pool, send, read with a {@link BodyReader}.
 * </ol>
 */
public final class Transport {
    private static final AtomicLong POOLS = new AtomicLong();

    /** Reactor context key for a per-operation response timeout ({@code XnatClient.responseTimeout}). */
    public static final String RESPONSE_TIMEOUT_KEY = "xnat-reactive.responseTimeout";

    /** Reactor context key for a {@code Consumer<Throwable>} told of each retry (see {@code XnatClient.onRetry}). */
    public static final String RETRY_LISTENER_KEY = "xnat-reactive.retryListener";

    /**
     * Reactor context key for a {@link RetryPolicy} that replaces the client's for the requests made inside the
     * subscription (see {@code XnatClient.retryPolicy}).
     */
    public static final String RETRY_POLICY_KEY = "xnat-reactive.retryPolicy";

    private final TransportConfig cfg;
    private final ConnectionProvider pool;
    private final SessionStep session;
    private final Step.Chain wire;
    private final Step.Chain pipeline;
    private final Events events;
    private final Disposable heartbeat;
    private volatile boolean closed;

    public Transport(TransportConfig cfg) {
        this.cfg = cfg;
        this.events = new Events(cfg.eventListener());
        this.pool = ConnectionProvider.builder("xnat-reactive-" + POOLS.incrementAndGet())
                .maxConnections(cfg.maxConnections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(10))
                .maxIdleTime(cfg.maxIdleTime())
                .evictInBackground(Duration.ofSeconds(5))
                // the pool's gauges go to the event listener (no Micrometer needed: the registrar is ours)
                .metrics(true, events::poolRegistrar)
                .build();
        DefaultsStep defaults = new DefaultsStep(cfg.userAgent(), () -> closed);
        RetryStep retry = new RetryStep(cfg.scheduler(), events);
        ErrorMappingStep errors = new ErrorMappingStep(events);
        WireStep wireStep = new WireStep(cfg, pool, events);
        // the logout's own path: sent as the client closes, so the defaults' check of a closed client is not on it
        this.wire = Pipeline.of(new DefaultsStep(cfg.userAgent(), () -> false), errors, wireStep);
        // the login's own path has no session step
        this.session = new SessionStep(cfg, Pipeline.of(defaults, retry, errors, wireStep));
        // the path of every request
        this.pipeline = Pipeline.of(defaults, retry, session, errors, wireStep);
        this.heartbeat = cfg.heartbeat() == null
                ? null
                : session.heartbeat(
                        cfg.heartbeat(),
                        () -> text(Request.get("/data/JSESSION")
                                .template("/data/JSESSION")
                                .build()));
    }

    public TransportConfig config() {
        return cfg;
    }

    public int maxConnections() {
        return cfg.maxConnections();
    }

    /**
     * Sends the request down the pipeline and reads a 2xx reply with {@code reader}. The subscription's context
     * may carry a retry policy, a response timeout and a retry callback for it.
     */
    public <T> Flux<T> exchange(Request req, BodyReader<T> reader) {
        return Flux.deferContextual(ctx -> {
            RetryPolicy policy = ctx.<RetryPolicy>getOrEmpty(RETRY_POLICY_KEY).orElse(cfg.retry());
            Duration timeout = ctx.<Duration>getOrEmpty(RESPONSE_TIMEOUT_KEY).orElse(req.responseTimeout);
            Consumer<Throwable> onRetry =
                    ctx.<Consumer<Throwable>>getOrEmpty(RETRY_LISTENER_KEY).orElse(e -> {});
            return events.exchange(Call.of(req, reader, new Call.Options(policy, timeout, onRetry)), pipeline);
        });
    }

    /** The body of a 2xx reply as text. */
    public Mono<String> text(Request req) {
        return exchange(req, BodyReaders.text()).next().defaultIfEmpty("");
    }

    /** Sends the request and discards a 2xx body. */
    public Mono<Void> discard(Request req) {
        return exchange(req, BodyReaders.discard()).then();
    }

    /** The body of a 2xx reply as a JSON document. */
    public Mono<JsonNode> json(Request req) {
        return exchange(req, BodyReaders.json(req.template)).next();
    }

    /** The rows of a result set, streamed. */
    public Flux<Map<String, String>> rows(Request req) {
        return exchange(req, BodyReaders.rows());
    }

    /** Whether the client holds a server session now. */
    public boolean loggedIn() {
        return session.loggedIn();
    }

    /** Ends the server session (if this client started it), stops the heartbeat and frees the pool. */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.empty();
            }
            if (heartbeat != null) {
                heartbeat.dispose();
            }
            Mono<Void> logout = session.logout(wire);
            closed = true;
            return logout.then(pool.disposeLater());
        });
    }
}
