package io.github.xnatreactive.testkit;

import io.github.xnatreactive.testkit.internal.Call;
import io.github.xnatreactive.testkit.internal.Reply;
import io.github.xnatreactive.testkit.internal.RouteTable;
import io.github.xnatreactive.testkit.internal.XnatError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Turns a user's {@link RouteHandler} into a row of the server's table of user routes. */
final class UserRoutes {
    private UserRoutes() {}

    static RouteTable.Handler adapt(RouteHandler handler) {
        AtomicLong calls = new AtomicLong();
        return c -> reply(handler.handle(request(c, calls.incrementAndGet())));
    }

    private static RouteRequest request(Call c, long count) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : c.headers) {
            headers.computeIfAbsent(h.getKey(), k -> new java.util.ArrayList<>())
                    .add(h.getValue());
        }
        byte[] body;
        try {
            body = c.body == null ? new byte[0] : Files.readAllBytes(c.body.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RouteRequest(
                c.method,
                c.path,
                c.vars,
                c.query.asMap(),
                headers,
                body,
                c.user == null ? null : c.user.login(),
                count);
    }

    /** Null for {@link RouteResponse#proceed()}. */
    private static Reply reply(RouteResponse r) {
        if (r == null) {
            throw new IllegalStateException("A RouteHandler returned null: return RouteResponse.proceed() instead");
        }
        return switch (r.kind()) {
            case PROCEED -> null;
            case DISCONNECT -> Reply.disconnect();
            case ERROR -> throw new XnatError(r.status(), r.message());
            case BODY -> {
                Reply reply = Reply.bytes(r.status(), r.body());
                r.headers().forEach(reply::header);
                yield reply;
            }
        };
    }
}
