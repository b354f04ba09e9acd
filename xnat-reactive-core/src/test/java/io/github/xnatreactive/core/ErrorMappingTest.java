package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class ErrorMappingTest {
    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(
            b -> b.user("admin", "admin").user("alice", "alicepw").seed(SeedSpec.parse("DEMO:1x1x1x2x4K")));

    static final String LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><title>XNAT -- Login</title></head>"
            + "<body><form action=\"/login\">Please log in</form></body></html>";

    XnatTestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void protectedProject() {
        try (XnatClient admin = as("admin", "admin")) {
            admin.project("PROT").create(Map.of("name", "Protected")).block();
            admin.project("PROT").setAccessibility("protected").block();
            admin.project("PROT").subject("S1").create().block();
        }
    }

    @BeforeEach
    void noFaults() {
        server = xnat.server();
        server.faults(FaultSpec.none());
    }

    static XnatClient as(String user, String password) {
        return as(xnat.server().baseUrl(), user, password, RetryPolicy.defaults());
    }

    static XnatClient as(String url, String user, String password, RetryPolicy retry) {
        return XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password(user, password))
                .retryPolicy(retry)
                .build();
    }

    @Test
    void forbiddenWhenModifyingSomeoneElsesProject() {
        try (XnatClient alice = as("alice", "alicepw")) {
            assertThatThrownBy(() -> alice.project("PROT")
                            .update(Map.of("description", "mine now"))
                            .block())
                    .isInstanceOf(XnatForbiddenException.class)
                    .satisfies(e -> {
                        XnatForbiddenException f = (XnatForbiddenException) e;
                        assertThat(f.status()).isEqualTo(403);
                        assertThat(f.method()).isEqualTo("PUT");
                        assertThat(f.uri()).startsWith("/data/projects/PROT");
                        assertThat(f.serverMessage()).isNotBlank().doesNotContain("<");
                        assertThat(f.getMessage()).contains("PUT", "403", f.serverMessage());
                    });
        }
    }

    @Test
    void notFoundCarriesMethodStatusRedactedUriAndServerMessage() {
        try (XnatClient c = as("admin", "admin")) {
            assertThatThrownBy(() -> c.request("GET", "/data/projects/NOPE", Map.of("token", "S3CR3T-T0KEN", "a", "b"))
                            .block())
                    .isInstanceOf(XnatNotFoundException.class)
                    .hasMessageNotContaining("S3CR3T-T0KEN")
                    .satisfies(e -> {
                        XnatNotFoundException n = (XnatNotFoundException) e;
                        assertThat(n.status()).isEqualTo(404);
                        assertThat(n.method()).isEqualTo("GET");
                        assertThat(n.uri()).startsWith("/data/projects/NOPE?").contains("token=***", "a=b");
                        assertThat(n.serverMessage()).isNotBlank().doesNotContain("<");
                    });
            assertThatThrownBy(() -> c.project("NOPE").get().block()).isInstanceOf(XnatNotFoundException.class);
        }
    }

    @Test
    void conflictWhenCreatingAnExistingResource() {
        try (XnatClient c = as("admin", "admin")) {
            ResourceRef r = c.project("DEMO").resource("NOTES");
            r.create("TXT", "notes").block();
            assertThatThrownBy(() -> r.create("TXT", "notes").block())
                    .isInstanceOf(XnatConflictException.class)
                    .satisfies(e -> {
                        XnatConflictException x = (XnatConflictException) e;
                        assertThat(x.status()).isEqualTo(409);
                        assertThat(x.method()).isEqualTo("PUT");
                        assertThat(x.uri()).startsWith("/data/projects/DEMO/resources/NOTES");
                        assertThat(x.serverMessage()).isNotBlank();
                    });
        }
    }

    @Test
    void existsIsFalseOnNotFoundOnly() {
        try (XnatClient admin = as("admin", "admin");
                XnatClient alice = as("alice", "alicepw")) {
            assertThat(admin.project("DEMO").exists().block()).isTrue();
            assertThat(admin.project("NOPE").exists().block()).isFalse();
            assertThat(admin.project("DEMO").subject("NOPE").exists().block()).isFalse();
            assertThatThrownBy(
                            () -> alice.project("PROT").subject("S1").exists().block())
                    .isInstanceOf(XnatForbiddenException.class);
        }
        try (XnatClient c = as(server.baseUrl(), "admin", "admin", RetryPolicy.none())) {
            c.projects().blockLast();
            server.faults(FaultSpec.parse("error=1.0"));
            assertThatThrownBy(() -> c.project("DEMO").exists().block())
                    .isInstanceOf(XnatServerException.class)
                    .satisfies(
                            e -> assertThat(((XnatServerException) e).status()).isEqualTo(500));
            assertThatThrownBy(() -> c.project("NOPE").exists().block()).isInstanceOf(XnatServerException.class);
        }
    }

    // ------------------------------------------------------------------ HTML on 200

    @Test
    void htmlOn200IsAProtocolErrorEverywhere() throws Exception {
        try (StubServer stub = StubServer.answering(200, "text/html;charset=utf-8", LOGIN_PAGE);
                XnatClient c = as(stub.baseUrl(), "admin", "admin", RetryPolicy.none())) {
            assertThatThrownBy(() -> c.projects().blockLast()).isInstanceOf(XnatProtocolException.class);
            assertThatThrownBy(() -> c.project("P").subjects().blockLast()).isInstanceOf(XnatProtocolException.class);
            assertThatThrownBy(
                            () -> c.request("GET", "/data/projects/P", Map.of()).block())
                    .isInstanceOf(XnatProtocolException.class)
                    .hasMessageContaining("HTML");
            assertThatThrownBy(
                            () -> c.request("PUT", "/data/projects/P", Map.of()).block())
                    .isInstanceOf(XnatProtocolException.class);
            assertThatThrownBy(() -> c.project("P").create().block()).isInstanceOf(XnatProtocolException.class);
            assertThatThrownBy(() ->
                            c.project("P").resource("R").create("TXT", "x").block())
                    .isInstanceOf(XnatProtocolException.class);
            assertThatThrownBy(() -> c.project("P").subject("S").delete(false).block())
                    .isInstanceOf(XnatProtocolException.class);
            // asking for HTML is not an error
            assertThat(c.request("GET", "/data/projects", Map.of("format", "html"))
                            .block())
                    .contains("Please log in");
        }
    }

    @Test
    void htmlSplitAcrossChunksIsStillFoundAndShortTextIsNot() {
        // each piece is flushed on its own, so the first chunk alone cannot tell
        try (StubServer html = new StubServer((req, res) -> req.receive()
                        .then(res.status(200)
                                .header("Content-Type", "text/html")
                                .sendString(Flux.just(
                                                "\n  <!DOC",
                                                "TYPE html><html><body><h3>Please log in</h3>",
                                                "</body></html>")
                                        .delayElements(Duration.ofMillis(10)))
                                .then()));
                StubServer text = new StubServer((req, res) -> req.receive()
                        .then(res.status(200)
                                .header("Content-Type", "text/plain")
                                .sendString(Flux.just("  4", "2").delayElements(Duration.ofMillis(10)))
                                .then()));
                XnatClient h = as(html.baseUrl(), "admin", "admin", RetryPolicy.none());
                XnatClient t = as(text.baseUrl(), "admin", "admin", RetryPolicy.none())) {
            assertThatThrownBy(() -> h.request("GET", "/data/thing", Map.of()).block())
                    .isInstanceOf(XnatProtocolException.class)
                    .hasMessageContaining("Please log in");
            assertThatThrownBy(() -> h.project("P").create().block()).isInstanceOf(XnatProtocolException.class);
            assertThat(t.request("GET", "/data/thing", Map.of()).block()).isEqualTo("  42");
        }
    }

    @Test
    void htmlOn200ForAFileDownloadIsAProtocolErrorAndLeavesNoFile() throws Exception {
        try (StubServer stub = StubServer.answering(200, "text/html;charset=utf-8", LOGIN_PAGE);
                XnatClient c = as(stub.baseUrl(), "admin", "admin", RetryPolicy.none())) {
            Path target = dir.resolve("html/f.dcm");
            assertThatThrownBy(() -> c.project("P")
                            .resource("R")
                            .file("f.dcm")
                            .download(target, -1, null)
                            .block())
                    .isInstanceOf(XnatProtocolException.class);
            assertThat(target).doesNotExist();
            assertNoPartialFiles(target.getParent());
        }
    }

    private static void assertNoPartialFiles(Path d) throws Exception {
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                assertThat(s).isEmpty();
            }
        }
    }

    @Test
    void truncatedDownloadFailsAndLeavesNoFile() throws Exception {
        try (XnatClient c = as(server.baseUrl(), "admin", "admin", RetryPolicy.none())) {
            ResourceRef dicom = c.project("DEMO")
                    .subject("DEMO_S001")
                    .experiment("DEMO_S001_MR1")
                    .scan("1")
                    .resource("DICOM");
            FileEntry f = dicom.files().blockFirst();
            server.faults(FaultSpec.parse("drop=1.0,drop-after=1000"));
            Path target = dir.resolve("trunc/" + f.name());
            assertThatThrownBy(() -> dicom.file(f.path()).download(target, f).block())
                    .isInstanceOf(XnatException.class);
            assertThat(target).doesNotExist();
            assertNoPartialFiles(target.getParent());
        }
    }

    @Test
    void invalidJsonListingIsAProtocolError() {
        for (String body : new String[] {
            "{\"ResultSet\":{\"Result\":[{\"ID\":\"P1\"}, nonsense]}}",
            "not json at all",
            "{\"ResultSet\":{\"Result\":[{\"ID\":"
        }) {
            try (StubServer stub = StubServer.answering(200, "application/json", body);
                    XnatClient c = as(stub.baseUrl(), "admin", "admin", RetryPolicy.none())) {
                assertThatThrownBy(() -> c.projects().blockLast()).as(body).isInstanceOf(XnatProtocolException.class);
            }
        }
    }
}
