package io.github.xnatreactive.cli;

import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A small loopback server for what the testkit never does: a listing that pauses, a login that redirects. It
 * answers {@code GET /data/JSESSION} like XNAT (under any context path) unless the handler answers it first, and
 * hands everything else to the handler; a handler returning null answers 404.
 */
final class HostileServer implements AutoCloseable {
    private final DisposableServer server;

    HostileServer(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((req, res) -> {
                    Publisher<Void> answer = handler.apply(req, res);
                    if (answer != null) {
                        return answer;
                    }
                    if (req.uri().endsWith("/data/JSESSION")) {
                        return req.receive()
                                .then(res.status(200)
                                        .header("Set-Cookie", "JSESSIONID=0123456789ABCDEF; Path=/")
                                        .sendString(Mono.just("0123456789ABCDEF"))
                                        .then());
                    }
                    return req.receive().then(res.status(404).send());
                })
                .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
