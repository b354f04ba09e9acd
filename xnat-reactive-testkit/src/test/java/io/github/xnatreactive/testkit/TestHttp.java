package io.github.xnatreactive.testkit;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A small blocking HTTP client for testkit tests: real HTTP over loopback with the JDK client, Basic auth unless
 * told otherwise, optional cookie jar. Paths are relative to the server's base URL.
 */
final class TestHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient client;
    private String authorization;

    TestHttp(XnatTestServer server) {
        this(server.baseUrl(), server.adminUser(), server.adminPassword(), false);
    }

    TestHttp(String baseUrl, String user, String password, boolean cookies) {
        this.baseUrl = baseUrl;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (cookies) {
            b.cookieHandler(new CookieManager());
        }
        this.client = b.build();
        if (user != null) {
            this.authorization = basic(user, password);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Stop sending Basic credentials (rely on the cookie jar). */
    TestHttp withoutBasic() {
        this.authorization = null;
        return this;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    HttpResponse<byte[]> send(HttpRequest.Builder b) {
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<byte[]> put(String path) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<byte[]> put(String path, String contentType, byte[] body) {
        return send(
                request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) {
        return send(
                request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart/form-data body with the given file parts (name to bytes) and fields. */
    static Multipart multipart(Map<String, byte[]> files, Map<String, String> fields) {
        String boundary = "----testkitBoundary" + System.nanoTime();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                                + f.getValue() + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                                + f.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.write(f.getValue());
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    record Multipart(String contentType, byte[] body) {}

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The rows of a JSON ResultSet listing, failing if the reply is not one. */
    static List<JsonNode> rows(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + r.statusCode() + ": " + text(r));
        }
        JsonNode result = JSON.readTree(r.body()).path("ResultSet").path("Result");
        if (!result.isArray()) {
            throw new AssertionError("not a ResultSet: " + text(r));
        }
        List<JsonNode> out = new ArrayList<>();
        result.forEach(out::add);
        return out;
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return JSON.readTree(r.body());
    }

    /** A socket on which an authenticated {@code GET path} (HTTP/1.1) was sent; the caller reads and closes it. */
    static java.net.Socket rawGet(XnatTestServer server, String path) throws IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.setSoTimeout(30_000);
        java.io.OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                        + basic(server.adminUser(), server.adminPassword()) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }
}
