package io.github.xnatreactive.testkit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RouteHandler} answers: a status with a body and headers, an XNAT-style error page, the built-in
 * route's answer ({@link #proceed()}), or a closed connection ({@link #disconnect()}). Immutable.
 *
 * <pre>{@code
 * RouteResponse ok = RouteResponse.text(200, "application/json", "{\"ok\":true}").header("X-Test", "1");
 * }</pre>
 */
public final class RouteResponse {
    private static final RouteResponse PROCEED = new RouteResponse(Kind.PROCEED, 0, null, Map.of(), null);
    private static final RouteResponse DISCONNECT = new RouteResponse(Kind.DISCONNECT, 0, null, Map.of(), null);

    enum Kind {
        BODY,
        ERROR,
        PROCEED,
        DISCONNECT
    }

    private final Kind kind;
    private final int status;
    private final byte[] body;
    private final Map<String, String> headers;
    private final String message;

    private RouteResponse(Kind kind, int status, byte[] body, Map<String, String> headers, String message) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
        this.message = message;
    }

    private static int checked(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        return status;
    }

    /**
     * A response with this status and body.
     *
     * @param status the HTTP status, 100 to 599
     * @param contentType the {@code Content-Type} header, e.g. {@code application/json}
     * @param body the body's bytes (copied)
     * @return the response
     */
    public static RouteResponse bytes(int status, String contentType, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", Objects.requireNonNull(contentType));
        return new RouteResponse(Kind.BODY, checked(status), body.clone(), h, null);
    }

    /**
     * A response with this status and a UTF-8 text body.
     *
     * @param status the HTTP status, 100 to 599
     * @param contentType the {@code Content-Type} header, e.g. {@code text/plain}
     * @param body the text
     * @return the response
     */
    public static RouteResponse text(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A response with this status and no body.
     *
     * @param status the HTTP status, 100 to 599
     * @return the response
     */
    public static RouteResponse status(int status) {
        return bytes(status, "text/plain", new byte[0]);
    }

    /**
     * An error as XNAT answers it: the status with its Restlet HTML status page.
     *
     * @param status the HTTP status, 100 to 599
     * @param message the page's message, as XNAT puts it in the page's {@code <h3>}
     * @return the response
     */
    public static RouteResponse error(int status, String message) {
        return new RouteResponse(Kind.ERROR, checked(status), null, Map.of(), Objects.requireNonNull(message));
    }

    /**
     * Lets the next route (in the end the built-in one) answer, as if this route were not there.
     *
     * @return the response that passes the request on
     */
    public static RouteResponse proceed() {
        return PROCEED;
    }

    /**
     * Closes the connection without answering, as a server that died mid-request.
     *
     * @return the response that closes the connection
     */
    public static RouteResponse disconnect() {
        return DISCONNECT;
    }

    /**
     * This response with one more header.
     *
     * @param name the header's name; replaces a header of the same name
     * @param value the header's value
     * @return a new response
     * @throws IllegalStateException when this response has no body (an error page, proceed or disconnect)
     */
    public RouteResponse header(String name, String value) {
        if (kind != Kind.BODY) {
            throw new IllegalStateException("Only a response with a body takes headers");
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new RouteResponse(kind, status, body, h, null);
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    byte[] body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    String message() {
        return message;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BODY -> "RouteResponse[" + status + ", " + body.length + " bytes]";
            case ERROR -> "RouteResponse[error " + status + ": " + message + "]";
            default -> "RouteResponse[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
        };
    }
}
