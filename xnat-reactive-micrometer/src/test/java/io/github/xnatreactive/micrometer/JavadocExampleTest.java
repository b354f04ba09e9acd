package io.github.xnatreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** XnatMicrometer's Javadoc example is this test's region, word for word, and it runs against the testkit. */
class JavadocExampleTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x1x1x1K")));

    @Test
    void theExampleRunsAndRecords() {
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        ObservationRegistry observationRegistry = ObservationRegistry.create();
        observationRegistry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
        String url = server.server().baseUrl();
        String user = "admin";
        String password = "admin";
        // doc:micrometer
        XnatMicrometer micrometer = XnatMicrometer.of(meterRegistry, observationRegistry);
        XnatClient xnat = micrometer
                .instrument(XnatClient.builder().serverUrl(url).credentials(Credentials.password(user, password)))
                .build();
        BulkClient bulk = BulkClient.of(xnat, micrometer.instrument(TransferOptions.defaults()));
        // end
        try (xnat) {
            assertThat(xnat.projects().count().block()).isEqualTo(1);
            assertThat(bulk.options().instrumentation())
                    .isNotSameAs(TransferOptions.defaults().instrumentation());
        }
        assertThat(meterRegistry
                        .get("xnat.client.requests")
                        .tag("uri", "/data/projects")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theJavadocShowsTheTestedRegion() throws Exception {
        String javadoc =
                Files.readString(Path.of("src/main/java/io/github/xnatreactive/micrometer/XnatMicrometer.java"));
        Matcher pre = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL)
                .matcher(javadoc);
        assertThat(pre.find()).isTrue();
        String example = pre.group(1).replaceAll("(?m)^\\s*\\* ?", "");
        String self =
                Files.readString(Path.of("src/test/java/io/github/xnatreactive/micrometer/JavadocExampleTest.java"));
        Matcher region = Pattern.compile("// doc:micrometer\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
                .matcher(self);
        assertThat(region.find()).isTrue();
        assertThat(normalize(example)).isEqualTo(normalize(region.group(1)));
    }

    private static String normalize(String code) {
        return code.replaceAll("\\s+", "");
    }
}
