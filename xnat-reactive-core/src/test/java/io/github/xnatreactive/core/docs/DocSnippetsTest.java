package io.github.xnatreactive.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the guides honest: every Java block in a guide must be one of the "// doc:" regions of its examples test
 * (CoreGuideExamplesTest here, BulkGuideExamplesTest in the bulk module), which compile and run against the testkit.
 */
class DocSnippetsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "docs/guide/core.md, xnat-reactive-core/src/test/java/io/github/xnatreactive/core/docs/CoreGuideExamplesTest.java",
        "docs/guide/access.md, xnat-reactive-core/src/test/java/io/github/xnatreactive/core/docs/AccessGuideExamplesTest.java",
        "docs/guide/bulk.md, xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/BulkGuideExamplesTest.java",
        "README.md, xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/BulkGuideExamplesTest.java",
        "docs/getting-started.md, xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/BulkGuideExamplesTest.java",
        "docs/guide/testkit.md, xnat-reactive-testkit/src/test/java/io/github/xnatreactive/testkit/docs/TestkitGuideExamplesTest.java",
        "docs/index.md, xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/BulkGuideExamplesTest.java",
        "docs/architecture.md, xnat-reactive-bulk/src/test/java/io/github/xnatreactive/bulk/docs/BulkGuideExamplesTest.java",
        "docs/guide/search.md, xnat-reactive-core/src/test/java/io/github/xnatreactive/core/search/SearchGuideExamplesTest.java",
        // metrics and the Spring Boot starter (their examples run in their own modules)
        "docs/guide/metrics.md, xnat-reactive-micrometer/src/test/java/io/github/xnatreactive/micrometer/MetricsGuideExamplesTest.java",
        "docs/guide/spring-boot.md, xnat-reactive-spring-boot-starter/src/test/java/io/github/xnatreactive/spring/boot/app/DemoApplication.java"
    })
    void everyJavaBlockOfAGuideIsATestedExample(String guidePath, String examplesPath) throws IOException {
        String guide = Files.readString(ROOT.resolve(guidePath));
        String examples = Files.readString(ROOT.resolve(examplesPath));
        List<String> regions = new ArrayList<>();
        Matcher r = Pattern.compile("// doc:\\w+\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
                .matcher(examples);
        while (r.find()) {
            regions.add(normalize(r.group(1)));
        }
        List<String> blocks = new ArrayList<>();
        Matcher b = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        while (b.find()) {
            blocks.add(normalize(b.group(1)));
        }
        assertThat(regions).as("doc regions in " + examplesPath).isNotEmpty();
        for (String block : blocks) {
            assertThat(regions)
                    .as("a tested example for this block of " + guidePath + ":\n" + block)
                    .contains(block);
        }
    }

    static String normalize(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
