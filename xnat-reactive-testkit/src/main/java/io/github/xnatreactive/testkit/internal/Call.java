package io.github.xnatreactive.testkit.internal;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request as the handlers see it: method, path in its {@code /data} form with the variables its route bound,
 * query, caller, spooled body, and the store transaction it runs in.
 */
public final class Call {
    public final String method;
    /** The request's raw path and query, as sent. */
    public final String uri;
    /** The path in its {@code /data} form ({@code /REST} and {@code /data/archive} mapped onto it), decoded. */
    public final String path;

    public final List<String> segments;
    public final boolean trailingSlash;
    public final Query query;
    public final HttpHeaders headers;
    public final String baseUrl;
    public Store.User user;
    public Sessions.Session session;
    public final List<String> setCookies = new ArrayList<>();
    /** The request body spooled to disk, or null when it was empty. */
    public Body body;
    /**
     * What the route's {@link RouteTable.BodyReader} made of a body it read as it arrived (then {@link #body} is null),
     * or null.
     */
    public Object prepared;
    /** Variables bound by the matched route's pattern. */
    public Map<String, String> vars = Map.of();
    /** The store, inside the read or write transaction this request runs in. */
    public Store store;
    /** The server's fault injection (for archive faults). */
    public Faults faults;

    /** A spooled request body: its file, size, and MD5 and CRC-32 (null and -1 when not computed while spooling). */
    public record Body(Path file, long size, String md5, long crc) {}

    Call(
            String method,
            String uri,
            List<String> segments,
            boolean trailingSlash,
            Query query,
            HttpHeaders headers,
            String baseUrl) {
        this.method = method;
        this.uri = uri;
        this.segments = segments;
        this.path = "/" + String.join("/", segments);
        this.trailingSlash = trailingSlash;
        this.query = query;
        this.headers = headers;
        this.baseUrl = baseUrl;
    }

    /** The same request seen as a {@code GET} (same caller, variables and transaction), to resolve with read rights. */
    public Call asRead() {
        Call r = new Call("GET", uri, segments, trailingSlash, query, headers, baseUrl);
        r.user = user;
        r.session = session;
        r.vars = vars;
        r.store = store;
        r.faults = faults;
        return r;
    }

    /** A variable of the matched route, or null when its pattern has none of that name. */
    public String var(String name) {
        return vars.get(name);
    }

    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    public boolean isWrite() {
        return method.equals("PUT") || method.equals("POST");
    }

    public String contentType() {
        String ct = headers.get("Content-Type");
        return ct == null ? "" : ct;
    }
}
