package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;

/**
 * One HTTP call, immutable once built: method, encoded path under the server's context path, query, body and
 * whether it is safe to repeat. The body is a supplier so that each attempt sends a fresh one.
 */
public final class Request {
    public final String method;
    /** Encoded path starting with {@code /data} or {@code /xapi}. */
    public final String path;
    /** A template such as {@code /data/projects/{project}} for logs (never holds IDs or secrets). */
    public final String template;

    public final List<Map.Entry<String, String>> query;
    /** Extra request headers (never the session's: the session step sets those). */
    public final List<Map.Entry<String, String>> headers;

    public final String contentType;
    /** Body publisher factory, null for no body. */
    public final Supplier<Publisher<ByteBuf>> body;
    /** A file to send zero-copy, null when {@link #body} (or nothing) is used. */
    public final Path file;

    public final long contentLength;
    public final boolean idempotent;
    public final Duration responseTimeout;
    /** The path itself holds a secret (an alias token's): messages and logs show the template instead. */
    public final boolean secretPath;

    private Request(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.template = b.template == null ? b.path : b.template;
        this.query = List.copyOf(b.query);
        this.headers = List.copyOf(b.headers);
        this.contentType = b.contentType;
        this.body = b.body;
        this.file = b.file;
        this.contentLength = b.contentLength;
        this.idempotent = b.idempotent == null ? !b.method.equals("POST") : b.idempotent;
        this.responseTimeout = b.responseTimeout;
        this.secretPath = b.secretPath;
    }

    public static Builder get(String path) {
        return new Builder("GET", path);
    }

    public static Builder put(String path) {
        return new Builder("PUT", path);
    }

    public static Builder post(String path) {
        return new Builder("POST", path);
    }

    public static Builder delete(String path) {
        return new Builder("DELETE", path);
    }

    public static Builder method(String method, String path) {
        return new Builder(method, path);
    }

    /** Whether the caller asked for an HTML page ({@code format=html}), so that HTML on a 2xx is no error. */
    public boolean wantsHtml() {
        return query.stream()
                .anyMatch(e -> e.getKey().equals("format") && e.getValue().equalsIgnoreCase("html"));
    }

    /** Path and query as sent, with secret-looking parameters masked, for messages and logs. */
    public String redactedUri() {
        return (secretPath ? template : path) + Uris.query(query, true);
    }

    public String uri() {
        return path + Uris.query(query, false);
    }

    /** Builds a {@link Request}. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String template;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private String contentType;
        private Supplier<Publisher<ByteBuf>> body;
        private Path file;
        private long contentLength = -1;
        private Boolean idempotent;
        private Duration responseTimeout;
        private boolean secretPath;

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Builder template(String t) {
            this.template = t;
            return this;
        }

        /** Marks the path as holding a secret: messages and logs show the template instead. */
        public Builder secretPath() {
            this.secretPath = true;
            return this;
        }

        public Builder param(String name, String value) {
            if (value != null) {
                query.add(Map.entry(name, value));
            }
            return this;
        }

        public Builder header(String name, String value) {
            headers.add(Map.entry(name, value));
            return this;
        }

        public Builder params(Map<String, String> params) {
            params.forEach(this::param);
            return this;
        }

        public Builder body(String contentType, long length, Supplier<Publisher<ByteBuf>> body) {
            this.contentType = contentType;
            this.contentLength = length;
            this.body = body;
            return this;
        }

        public Builder file(String contentType, Path file, long length) {
            this.contentType = contentType;
            this.file = file;
            this.contentLength = length;
            return this;
        }

        public Builder idempotent(boolean v) {
            this.idempotent = v;
            return this;
        }

        public Builder responseTimeout(Duration d) {
            this.responseTimeout = d;
            return this;
        }

        public Request build() {
            return new Request(this);
        }
    }
}
