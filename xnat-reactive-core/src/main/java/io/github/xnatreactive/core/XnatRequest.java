package io.github.xnatreactive.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reactivestreams.Publisher;

/**
 * A raw HTTP request for what the typed API does not cover: method, path, query parameters, headers and a body.
 * Immutable: each method returns a new request. Send it with {@link XnatClient#request(XnatRequest)}; it shares the
 * client's session, retries and error mapping.
 *
 * <pre>{@code
 * JsonNode info = xnat.request(XnatRequest.get("/xapi/siteConfig/buildInfo")).json().block();
 * String version = info.path("version").asString(); // e.g. "1.8.10"
 * xnat.request(XnatRequest.put("/data/projects/LAB/resources/NOTES/files/a.json")
 *                 .query("inbody", "true") // the body is the file itself, not a multipart form
 *                 .header("X-Request-Purpose", "example")
 *                 .body("{\"a\":1}", "application/json"))
 *         .discard()
 *         .block();
 * }</pre>
 *
 * <p>The path is sent as given (percent-encode IDs yourself); query values are encoded. The session's headers
 * ({@code Cookie}, {@code Authorization}) and the framing ones ({@code Content-Length}, {@code Host},
 * {@code Transfer-Encoding}) are the client's and cannot be set. GET, HEAD, PUT and DELETE are retried when safe;
 * a POST, and a body from a {@link Publisher}, are not replayed once sent.
 */
public final class XnatRequest {
    private static final Set<String> RESERVED =
            Set.of("cookie", "authorization", "content-length", "host", "transfer-encoding");

    /** What to send as the body. */
    sealed interface Body {
        String contentType();

        long length();
    }

    record BytesBody(byte[] bytes, String contentType) implements Body {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    record FileBody(Path file, String contentType) implements Body {
        @Override
        public long length() {
            return -1;
        }
    }

    record PublisherBody(Publisher<ByteBuffer> content, long length, String contentType) implements Body {}

    private final String method;
    private final String path;
    private final List<Map.Entry<String, String>> query;
    private final List<Map.Entry<String, String>> headers;
    private final Body body;

    private XnatRequest(
            String method,
            String path,
            List<Map.Entry<String, String>> query,
            List<Map.Entry<String, String>> headers,
            Body body) {
        this.method = method;
        this.path = path;
        this.query = List.copyOf(query);
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /**
     * A request with any method.
     *
     * @param method an HTTP method such as {@code GET} (case-insensitive)
     * @param path the path under the server URL, starting with {@code /}, e.g. {@code /data/projects/P1}; sent as
     *     given, so percent-encode IDs that need it; no query string ({@code ?}) or fragment
     * @return a request without query parameters, headers or body
     * @throws NullPointerException when {@code method} or {@code path} is null
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest of(String method, String path) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        if (path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("put query parameters in query(...), not in the path: " + path);
        }
        return new XnatRequest(method.strip().toUpperCase(Locale.ROOT), path, List.of(), List.of(), null);
    }

    /**
     * A GET of {@code path}, as {@link #of(String, String) of("GET", path)}.
     *
     * @param path the path under the server URL, starting with {@code /}, without a query string
     * @return a request without query parameters, headers or body
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest get(String path) {
        return of("GET", path);
    }

    /**
     * A PUT to {@code path}, as {@link #of(String, String) of("PUT", path)}.
     *
     * @param path the path under the server URL, starting with {@code /}, without a query string
     * @return a request without query parameters, headers or body
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest put(String path) {
        return of("PUT", path);
    }

    /**
     * A POST to {@code path}, as {@link #of(String, String) of("POST", path)}.
     *
     * @param path the path under the server URL, starting with {@code /}, without a query string
     * @return a request without query parameters, headers or body
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest post(String path) {
        return of("POST", path);
    }

    /**
     * A DELETE of {@code path}, as {@link #of(String, String) of("DELETE", path)}.
     *
     * @param path the path under the server URL, starting with {@code /}, without a query string
     * @return a request without query parameters, headers or body
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest delete(String path) {
        return of("DELETE", path);
    }

    /**
     * A HEAD of {@code path}, as {@link #of(String, String) of("HEAD", path)}.
     *
     * @param path the path under the server URL, starting with {@code /}, without a query string
     * @return a request without query parameters, headers or body
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or holds {@code ?} or
     *     {@code #}
     */
    public static XnatRequest head(String path) {
        return of("HEAD", path);
    }

    /**
     * Adds a query parameter; a name may repeat ({@code options=a&options=b}), in the order added.
     *
     * @param name the parameter's name, not null
     * @param value its value, percent-encoded when sent; null adds nothing
     * @return a new request with the parameter (this request when {@code value} is null)
     */
    public XnatRequest query(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            return this;
        }
        List<Map.Entry<String, String>> q = new ArrayList<>(query);
        q.add(Map.entry(name, value));
        return new XnatRequest(method, path, q, headers, body);
    }

    /**
     * Adds every entry as a query parameter, in the map's iteration order, as {@link #query(String, String)} does.
     *
     * @param params names to values; entries with a null value add nothing
     * @return a new request with the parameters
     */
    public XnatRequest query(Map<String, String> params) {
        XnatRequest r = this;
        for (Map.Entry<String, String> e : params.entrySet()) {
            r = r.query(e.getKey(), e.getValue());
        }
        return r;
    }

    /**
     * Adds a request header; a name may repeat.
     *
     * @param name the header's name, not null; not {@code Cookie}, {@code Authorization}, {@code Content-Length},
     *     {@code Host} or {@code Transfer-Encoding} (any case)
     * @param value its value, not null
     * @return a new request with the header
     * @throws IllegalArgumentException for the session's and the framing headers, which are the client's
     */
    public XnatRequest header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("The client sets the " + name + " header itself");
        }
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new XnatRequest(method, path, query, h, body);
    }

    /**
     * A body of bytes, replacing any body set before. The array is copied: later changes to it are not sent.
     *
     * @param bytes the body, not null
     * @param contentType the {@code Content-Type} to send, e.g. {@code application/octet-stream}
     * @return a new request with this body, which can be sent again, so the request is retried as its method
     *     allows
     */
    public XnatRequest body(byte[] bytes, String contentType) {
        return withBody(new BytesBody(bytes.clone(), contentType));
    }

    /**
     * A text body sent as UTF-8, e.g. JSON, replacing any body set before.
     *
     * @param text the body, not null
     * @param contentType the {@code Content-Type} to send, e.g. {@code application/json}
     * @return a new request with this body, which can be sent again, so the request is retried as its method
     *     allows
     */
    public XnatRequest body(String text, String contentType) {
        return withBody(new BytesBody(text.getBytes(StandardCharsets.UTF_8), contentType));
    }

    /**
     * A file as the body, replacing any body set before. The file is read when the request is sent (zero-copy on
     * plain HTTP), not now; a file that cannot be read then fails the call with an {@code UncheckedIOException}.
     *
     * @param file the file to send, not null
     * @param contentType the {@code Content-Type} to send, e.g. {@code application/zip}
     * @return a new request with this body, read anew for each attempt, so the request is retried as its method
     *     allows
     */
    public XnatRequest body(Path file, String contentType) {
        return withBody(new FileBody(Objects.requireNonNull(file, "file"), contentType));
    }

    /**
     * A body streamed from {@code content}, of exactly {@code length} bytes. The publisher is subscribed once per
     * attempt; a request with such a body is not retried once sent.
     *
     * @param content the body's bytes, not null; the request does not change the buffers
     * @param length the exact number of bytes {@code content} emits, sent as {@code Content-Length}
     * @param contentType the {@code Content-Type} to send
     * @return a new request with this body
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public XnatRequest body(Publisher<ByteBuffer> content, long length, String contentType) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0");
        }
        return withBody(new PublisherBody(Objects.requireNonNull(content, "content"), length, contentType));
    }

    private XnatRequest withBody(Body b) {
        return new XnatRequest(method, path, query, headers, b);
    }

    /**
     * The HTTP method.
     *
     * @return the method in upper case, e.g. {@code GET}
     */
    public String method() {
        return method;
    }

    /**
     * The path under the server URL.
     *
     * @return the path as given, starting with {@code /}, without a query string
     */
    public String path() {
        return path;
    }

    /**
     * The query parameters.
     *
     * @return an unmodifiable list of name-value pairs in the order added, names repeated as added; empty when none
     */
    public List<Map.Entry<String, String>> query() {
        return query;
    }

    /**
     * The headers added with {@link #header(String, String)}, not those the client sets itself.
     *
     * @return an unmodifiable list of name-value pairs in the order added; empty when none
     */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    Body body() {
        return body;
    }

    /** Method and path only: query values and headers may hold secrets. */
    @Override
    public String toString() {
        return "XnatRequest[" + method + " " + path + "]";
    }
}
