package io.github.xnatreactive.core;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A tiny loopback HTTP server for cases the testkit does not produce (HTML on 200, a dropped connection after the
 * request, invalid JSON). It answers {@code GET /data/JSESSION} like XNAT (a session ID and its cookie), counts
 * every request by {@code METHOD path}, and hands the others to the test's handler.
 */
final class StubServer implements AutoCloseable {
    static final String SESSION = "0123456789ABCDEF0123456789ABCDEF";

    private final DisposableServer server;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    StubServer(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        this(HttpServer.create(), handler);
    }

    StubServer(HttpServer base, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        this.server = base.host("127.0.0.1")
                .port(0)
                .handle((req, res) -> {
                    String path = req.uri().split("\\?", 2)[0];
                    counts.computeIfAbsent(req.method().name() + " " + path, k -> new AtomicInteger())
                            .incrementAndGet();
                    if (path.endsWith("/data/JSESSION")) {
                        if (req.method().name().equals("DELETE")) {
                            return req.receive().then(res.status(200).send());
                        }
                        return req.receive()
                                .then(res.status(HttpResponseStatus.OK)
                                        .header("Content-Type", "text/plain")
                                        .header("Set-Cookie", "JSESSIONID=" + SESSION + "; Path=/; HttpOnly")
                                        .sendString(Mono.just(SESSION))
                                        .then());
                    }
                    return handler.apply(req, res);
                })
                .bindNow();
    }

    /** Answers every request (but the login) with this status, content type and body, after reading the request. */
    static StubServer answering(int status, String contentType, String body) {
        return new StubServer((req, res) -> req.receive()
                .then(res.status(status)
                        .header("Content-Type", contentType)
                        .sendString(Mono.just(body))
                        .then()));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    int count(String methodAndPath) {
        AtomicInteger n = counts.get(methodAndPath);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
