package io.github.xnatreactive.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/guide/core.md honest: every Java block in the guide must be one of the "// doc:" regions of
 * {@link CoreGuideExamplesTest}, which compiles and runs against the testkit.
 */
class DocSnippetsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyJavaBlockOfTheCoreGuideIsATestedExample() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/guide/core.md"));
        String examples = Files.readString(ROOT.resolve(
                "xnat-reactive-core/src/test/java/io/github/xnatreactive/core/docs/CoreGuideExamplesTest.java"));
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
        assertThat(blocks).as("java blocks in docs/guide/core.md").isNotEmpty();
        assertThat(regions).as("doc regions in CoreGuideExamplesTest").hasSizeGreaterThanOrEqualTo(blocks.size());
        for (String block : blocks) {
            assertThat(regions)
                    .as("a tested example for this guide block:\n" + block)
                    .contains(block);
        }
    }

    static String normalize(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
