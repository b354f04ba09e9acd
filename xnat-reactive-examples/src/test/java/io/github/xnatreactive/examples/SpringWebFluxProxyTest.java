package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Starts the Spring Boot application on a free port and calls it over HTTP. */
class SpringWebFluxProxyTest {
    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("P1:1x1x2x2x3M")));

    static ConfigurableApplicationContext app;
    static WebTestClient http;
    static ResourceRef dicom;

    @BeforeAll
    static void startApp() {
        app = SpringWebFluxProxy.start(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--xnat.url=" + server.server().baseUrl(),
                "--xnat.user=" + server.server().adminUser(),
                "--xnat.password=" + server.server().adminPassword());
        XnatClient xnat = app.getBean(XnatClient.class); // the starter's, closed with the application
        String port = app.getEnvironment().getProperty("local.server.port");
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .build();
        dicom = xnat.project("P1")
                .subject("P1_S001")
                .experiment("P1_S001_MR1")
                .scan("2")
                .resource("DICOM");
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void streamsTheFileFromXnat() {
        FileEntry entry = dicom.files().blockLast();

        byte[] body = http.get()
                .uri("/files/P1/P1_S001/P1_S001_MR1/2/DICOM/{path}", entry.path())
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                // streamed as it arrives, not collected first to learn its length
                .expectHeader()
                .valueEquals(HttpHeaders.TRANSFER_ENCODING, "chunked")
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();

        assertThat(body).hasSize((int) entry.size()).hasSize(3 * 1024 * 1024);
        assertThat(TestSupport.md5(body)).isEqualTo(entry.digest());
        assertThat(body)
                .isEqualTo(dicom.file(entry.path())
                        .content()
                        .reduce(new java.io.ByteArrayOutputStream(), (out, b) -> {
                            byte[] chunk = new byte[b.remaining()];
                            b.get(chunk);
                            out.writeBytes(chunk);
                            return out;
                        })
                        .block()
                        .toByteArray());
    }

    @Test
    void aFileXnatDoesNotHaveIsNotFound() {
        for (String path : new String[] {
            "/files/P1/P1_S001/P1_S001_MR1/2/DICOM/no-such-file.dcm", "/files/P1/P1_S001/NO_SUCH_SESSION/2/DICOM/1.dcm"
        }) {
            // Reading the error body also lets the test client release its buffers.
            http.get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isNotFound()
                    .expectBody(String.class)
                    .consumeWith(r -> assertThat(r.getResponseBody())
                            .contains("\"status\":404")
                            .contains(path));
        }
    }
}
