package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Input that must not reach a URL or a message as it is: secrets in URLs, '.' and '..' names, broken replies. */
class HostileInputTest {
    static final String SECRET = "Zq9Uniq";

    @TempDir
    Path tmp;

    static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void aServerUrlNeverEchoesItsUserInfoParseableOrNot() {
        for (String url : new String[] {
            "http://admin:" + SECRET + "%Pw@7731@127.0.0.1:8080", // not a valid URI: bad escape
            "http://admin:" + SECRET + "@127.0.0.1:8080", // a valid URI with user info
            "http://admin:" + SECRET + " x@127.0.0.1:8080/xnat", // a space
            "admin:" + SECRET + "@127.0.0.1:8080" // no scheme
        }) {
            Throwable t = catchThrowable(() -> XnatClient.builder().serverUrl(url));
            assertThat(t).as(url).isInstanceOf(IllegalArgumentException.class);
            assertThat(trace(t)).as(url).doesNotContain(SECRET).doesNotContain("7731");
            assertThat(t.getMessage()).contains("127.0.0.1");
        }
        Throwable bad = catchThrowable(() -> XnatClient.builder().serverUrl("http://host:80 80/x y"));
        assertThat(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a valid server URL");
    }

    @Test
    void aNetrcLookupNeverEchoesTheUrlsUserInfo() throws Exception {
        Path netrc = Files.writeString(tmp.resolve("netrc"), "machine h login u password p\n");
        Throwable t = catchThrowable(() -> Credentials.fromNetrc(netrc, "http://u:" + SECRET + "%zz@h"));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        assertThat(trace(t)).doesNotContain(SECRET);
        assertThat(Credentials.fromNetrc(netrc, "http://h:8080/xnat")).isPresent();
    }

    @Test
    void fromEnvironmentReadsTheNetrcThatNETRCNames() throws Exception {
        try (io.github.xnatreactive.testkit.XnatTestServer server =
                io.github.xnatreactive.testkit.XnatTestServer.builder()
                        .user("u", "netrc-pw")
                        .start()) {
            Path netrc = Files.writeString(tmp.resolve("elsewhere"), "machine 127.0.0.1 login u password netrc-pw\n");
            Path emptyHome = Files.createDirectories(tmp.resolve("home"));
            try (XnatClient xnat = XnatClient.builder()
                    .environment(java.util.Map.of("XNAT_HOST", server.baseUrl(), "NETRC", netrc.toString()), emptyHome)
                    .fromEnvironment()
                    .build()) {
                assertThat(xnat.projects().collectList().block()).isEmpty();
            }
        }
    }

    @Test
    void dotAndDotDotAreRefusedAsNamesFromTheCaller() {
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl("http://127.0.0.1:9")
                .credentials(Credentials.anonymous())
                .build()) {
            for (String bad : new String[] {"..", "."}) {
                assertThatThrownBy(() -> xnat.project(bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'" + bad + "' is not a valid XNAT ID or label");
                assertThatThrownBy(() -> xnat.project("P").subject(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> xnat.experiment(bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> xnat.project("P").experiment("E").scan(bad))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> xnat.project("P").experiment("E").resource(bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> xnat.select("/projects/../experiments")
                            .collectList()
                            .block())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'..'");
        }
    }

    @Test
    void aDotDotNameInAServersListingIsAProtocolErrorAndNeverRequested() {
        String listing = "{\"ResultSet\":{\"Result\":[{\"ID\":\"X_S1\",\"label\":\"..\",\"project\":\"P\"}]}}";
        try (StubServer stub = StubServer.answering(200, "application/json", listing);
                XnatClient xnat = XnatClient.builder()
                        .serverUrl(stub.baseUrl())
                        .credentials(Credentials.password("u", "p"))
                        .build()) {
            Throwable t = catchThrowable(() -> xnat.select("/projects/P/subjects/*/experiments")
                    .collectList()
                    .block());
            assertThat(t)
                    .isInstanceOf(XnatProtocolException.class)
                    .hasMessageContaining("subject named '..'")
                    .hasMessageContaining("/data/projects/P");
            assertThat(stub.count("GET /data/projects/P/subjects")).isEqualTo(1);
            assertThat(stub.count("GET /data/projects/P/subjects/../experiments"))
                    .isZero();
            assertThat(stub.count("GET /data/projects/experiments")).isZero();
        }
    }

    @Test
    void malformedJsonIsReportedWithoutJacksonsSourceText() {
        try (StubServer stub = StubServer.answering(200, "application/json", "{\"items\": [1, 2,, 3]}");
                XnatClient xnat = XnatClient.builder()
                        .serverUrl(stub.baseUrl())
                        .credentials(Credentials.password("u", "p"))
                        .build()) {
            Throwable t = catchThrowable(() ->
                    xnat.request(XnatRequest.get("/data/projects/P")).json().block());
            assertThat(t).isInstanceOf(XnatProtocolException.class);
            assertThat(t.getMessage())
                    .startsWith("Invalid JSON from /data/projects/P (line 1, column")
                    .doesNotContain("Source")
                    .doesNotContain("REDACTED");
        }
    }

    /** A server whose login answers with {@code status} (and a Location for redirects). */
    static DisposableServer loginAnswering(int status) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((req, res) -> req.receive()
                        .then(res.status(status)
                                .header("Location", "http://127.0.0.1/login")
                                .sendString(Mono.just(""))
                                .then()))
                .bindNow();
    }

    static XnatClient client(String url) {
        return XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("u", "p"))
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @Test
    void aRedirectedLoginIsAnAuthenticationFailure() {
        DisposableServer server = loginAnswering(302);
        try (XnatClient xnat = client("http://127.0.0.1:" + server.port() + "/xnat")) {
            assertThatThrownBy(() -> xnat.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class)
                    .hasMessageContaining("redirected (HTTP 302)")
                    .hasMessageContaining("http://127.0.0.1:" + server.port() + "/xnat/data/JSESSION");
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void aLoginAnswering404HintsAtTheContextPath() {
        DisposableServer server = loginAnswering(404);
        try (XnatClient xnat = client("http://127.0.0.1:" + server.port())) {
            assertThatThrownBy(() -> xnat.projects().collectList().block())
                    .isInstanceOf(XnatNotFoundException.class)
                    .hasMessageContaining("No XNAT login at http://127.0.0.1:" + server.port() + "/data/JSESSION")
                    .hasMessageContaining("context path");
        } finally {
            server.disposeNow();
        }
    }
}
