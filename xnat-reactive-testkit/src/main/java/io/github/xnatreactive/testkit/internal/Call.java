package io.github.xnatreactive.testkit.internal;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One request as the handlers see it: method, decoded path segments, query, caller and spooled body. */
public final class Call {
    public final String method;
    /** The request's raw path and query, as sent. */
    public final String uri;

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

    /** A spooled body: file, byte count, MD5 (hex) and CRC-32 computed while it arrived. */
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
        this.trailingSlash = trailingSlash;
        this.query = query;
        this.headers = headers;
        this.baseUrl = baseUrl;
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
