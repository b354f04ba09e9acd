package io.github.xnatreactive.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.spring.boot.app.DemoApplication;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole WebFlux application on the starter, against the testkit, over real HTTP: it answers with what it streamed
 * from XNAT, its health endpoint reports the XNAT server UP, and its metrics endpoint shows the request timers.
 */
class WebFluxApplicationTest {
    static final String PASSWORD = "WebFlux-Secret-Pw2";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static XnatTestServerExtension xnat = new XnatTestServerExtension(b ->
            b.user("admin", PASSWORD).seed(SeedSpec.parse("ALPHA:1x1x1x1x1K")).seed(SeedSpec.parse("BETA:1x1x1x1x1K")));

    @Test
    void theApplicationStreamsFromXnatAndItsHealthAndMetricsReport() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DemoApplication.class)
                .properties(
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "xnat.url=" + xnat.server().baseUrl(),
                        "xnat.user=admin",
                        "xnat.password=" + PASSWORD,
                        "management.endpoints.web.exposure.include=health,metrics,configprops,env",
                        "management.endpoint.health.show-details=always")
                .run()) {
            String port = app.getEnvironment().getProperty("local.server.port");
            WebTestClient web = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + port)
                    .build();

            String projects = ok(web, "/projects");
            assertThat(projects.lines()).containsExactlyInAnyOrder("ALPHA", "BETA");

            String health = ok(web, "/actuator/health");
            JsonNode xnatHealth = JSON.readTree(health).at("/components/xnat");
            assertThat(xnatHealth.at("/status").asString()).as(health).isEqualTo("UP");
            assertThat(xnatHealth.at("/details/url").asString())
                    .isEqualTo(xnat.server().baseUrl());
            assertThat(health).doesNotContain(PASSWORD);

            String timers = ok(web, "/actuator/metrics/xnat.client.requests?tag=uri:/data/projects");
            JsonNode count = JSON.readTree(timers).at("/measurements/0");
            assertThat(count.at("/statistic").asString()).as(timers).isEqualTo("COUNT");
            assertThat(count.at("/value").asDouble()).as(timers).isGreaterThanOrEqualTo(1);
            // the XNAT request is a child of the WebFlux request's observation: a tracer shows it in the same trace
            assertThat(DemoApplication.OBSERVED)
                    .filteredOn(o -> "GET /data/projects".equals(o.getContextualName()))
                    .isNotEmpty()
                    .allSatisfy(o -> assertThat(o.getParentObservation())
                            .isNotNull()
                            .satisfies(p ->
                                    assertThat(p.getContextView().getName()).isEqualTo("http.server.requests")));
            assertThat(ok(web, "/actuator/metrics")).contains("reactor.netty.connection.provider.active.connections");
            // the actuator's property endpoints show xnat.* but never the password
            assertThat(ok(web, "/actuator/configprops")).contains("\"xnat\"").doesNotContain(PASSWORD);
            assertThat(ok(web, "/actuator/env")).contains("xnat.password").doesNotContain(PASSWORD);
        }
    }

    private static String ok(WebTestClient web, String uri) {
        return web.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
