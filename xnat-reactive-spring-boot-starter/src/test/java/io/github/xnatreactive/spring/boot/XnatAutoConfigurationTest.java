package io.github.xnatreactive.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.micrometer.XnatMicrometer;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration with Spring Boot's ApplicationContextRunner, against the testkit. */
class XnatAutoConfigurationTest {
    static final String PASSWORD = "Starter-Secret-Pw1";

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", PASSWORD).seed(SeedSpec.parse("DEMO:2x1x1x1x1K")));

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(XnatAutoConfiguration.class, XnatHealthAutoConfiguration.class));

    String[] connection(String password) {
        return new String[] {"xnat.url=" + xnat.server().baseUrl(), "xnat.user=admin", "xnat.password=" + password};
    }

    @Test
    void thePropertiesAreBoundIntoAClientAndABulkClientThatWork() {
        runner.withPropertyValues(connection(PASSWORD))
                .withPropertyValues(
                        "xnat.pool.max-connections=3",
                        "xnat.retry.max-attempts=2",
                        "xnat.retry.initial-backoff=10ms",
                        "xnat.heartbeat=5m",
                        "xnat.connect-timeout=2s",
                        "xnat.bulk.concurrency=2",
                        "xnat.bulk.adaptive=false",
                        "xnat.bulk.max-attempts=3")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    XnatProperties p = ctx.getBean(XnatProperties.class);
                    assertThat(p.getPool().getMaxConnections()).isEqualTo(3);
                    assertThat(p.getHeartbeat()).hasMinutes(5);
                    XnatClient client = ctx.getBean(XnatClient.class);
                    assertThat(client.maxConnections()).isEqualTo(3);
                    assertThat(client.project("DEMO").subjects().count().block())
                            .isEqualTo(2);
                    BulkClient bulk = ctx.getBean(BulkClient.class);
                    assertThat(bulk.options().concurrency()).isEqualTo(2);
                    assertThat(bulk.options().adaptive()).isFalse();
                    assertThat(bulk.options().maxAttempts()).isEqualTo(3);
                    // secrets never show
                    assertThat(p.toString()).doesNotContain(PASSWORD).contains("password=***");
                    assertThat(client.toString()).doesNotContain(PASSWORD);
                });
    }

    @Test
    void anAliasTokenIsUsedWhenSet() {
        runner.withPropertyValues(
                        "xnat.url=" + xnat.server().baseUrl(), "xnat.token.alias=a1", "xnat.token.secret=s3cr3t-token")
                .run(ctx -> {
                    XnatProperties p = ctx.getBean(XnatProperties.class);
                    assertThat(AutoConfigurationAccess.credentials(p)).hasToString("Credentials[alias token]");
                    assertThat(p.toString()).doesNotContain("s3cr3t-token");
                });
    }

    @Test
    void theBeansBackOffWhenTheApplicationDefinesItsOwn() {
        XnatClient own = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", PASSWORD))
                .maxConnections(5)
                .build();
        XnatMicrometer ownMetrics = XnatMicrometer.of(new SimpleMeterRegistry());
        runner.withBean(XnatClient.class, () -> own)
                .withBean(XnatMicrometer.class, () -> ownMetrics)
                .run(ctx -> {
                    // no xnat.url needed: the application's client is used, and the bulk client is built on it
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(XnatClient.class)).isSameAs(own);
                    assertThat(ctx.getBean(XnatMicrometer.class)).isSameAs(ownMetrics);
                    assertThat(ctx.getBean(BulkClient.class).options().concurrency())
                            .isEqualTo(8);
                });
        own.close();
        BulkClient ownBulk = BulkClient.of(own);
        runner.withPropertyValues(connection(PASSWORD))
                .withBean(BulkClient.class, () -> ownBulk)
                .run(ctx -> assertThat(ctx.getBean(BulkClient.class)).isSameAs(ownBulk));
    }

    @Test
    void aCustomizerChangesTheBuilderAfterTheProperties() {
        runner.withPropertyValues(connection(PASSWORD))
                .withPropertyValues("xnat.pool.max-connections=3")
                .withBean(XnatClientBuilderCustomizer.class, () -> b -> b.maxConnections(7))
                .run(ctx -> assertThat(ctx.getBean(XnatClient.class).maxConnections())
                        .isEqualTo(7));
    }

    @Test
    void aMissingUrlIsAClearStartupFailure() {
        runner.withPropertyValues("xnat.user=admin", "xnat.password=" + PASSWORD)
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(MissingXnatUrlException.class)
                            .hasMessageContaining("xnat.url is not set");
                    assertThat(ctx.getStartupFailure())
                            .hasStackTraceContaining("xnat.url")
                            .satisfies(e -> assertThat(stackText(e)).doesNotContain(PASSWORD));
                });
    }

    @Test
    void requestsAreTimedIntoTheApplicationsMeterRegistry() {
        runner.withPropertyValues(connection(PASSWORD))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    XnatClient client = ctx.getBean(XnatClient.class);
                    assertThat(client.projects().count().block()).isPositive();
                    MeterRegistry meters = ctx.getBean(MeterRegistry.class);
                    assertThat(meters.get("xnat.client.requests")
                                    .tags("uri", "/data/projects", "status", "200")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                    assertThat(meters.find("reactor.netty.connection.provider.max.connections")
                                    .gauge())
                            .isNotNull();
                });
        runner.withPropertyValues(connection(PASSWORD))
                .withPropertyValues("xnat.metrics.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(XnatMicrometer.class);
                    assertThat(ctx.getBean(XnatClient.class).projects().count().block())
                            .isPositive();
                    assertThat(ctx.getBean(MeterRegistry.class)
                                    .find("xnat.client.requests")
                                    .timers())
                            .isEmpty();
                });
    }

    @Test
    void theHealthIndicatorReportsReachabilityAndLoginWithoutTheSecret() {
        runner.withPropertyValues(connection(PASSWORD)).run(ctx -> {
            Health up = ctx.getBean(XnatHealthIndicator.class).health().block();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails())
                    .containsEntry("url", xnat.server().baseUrl())
                    .containsKey("version");
        });
        runner.withPropertyValues(connection("wrong-" + PASSWORD)).run(ctx -> {
            Health down = ctx.getBean(XnatHealthIndicator.class).health().block();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("error").toString()).contains("Login failed");
            assertThat(down.toString()).doesNotContain(PASSWORD);
        });
        runner.withPropertyValues(connection(PASSWORD))
                .withPropertyValues("management.health.xnat.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(XnatHealthIndicator.class));
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
