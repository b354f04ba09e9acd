package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The parser and writer each thread keeps: the same results and the same refusals on every use. */
class XnatDocumentParserTest {
    static String session(int i) {
        return "<xnat:MRSession xmlns:xnat=\"http://nrg.wustl.edu/xnat\" ID=\"E" + i + "\" label=\"MR" + i
                + "\" project=\"P\"><xnat:note>\u00e9t\u00e9 " + i + "</xnat:note></xnat:MRSession>";
    }

    static final String HOSTILE = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<xnat:MRSession xmlns:xnat=\"http://nrg.wustl.edu/xnat\" ID=\"&e;\"/>";

    @Test
    void aDoctypeIsRefusedBeforeAndAfterTheThreadsParserHasBeenUsed() {
        assertThatThrownBy(() -> XnatDocument.parse(HOSTILE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(XnatDocument.parse(session(1)).id()).isEqualTo("E1");
        assertThatThrownBy(() -> XnatDocument.parse(HOSTILE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> XnatDocument.parse("<not xml")).isInstanceOf(IllegalArgumentException.class);
        // a failed parse leaves the parser usable, namespace-aware as before
        // search documents go through the same parser: refused too, after the thread's parser has been used
        assertThatThrownBy(() -> io.github.xnatreactive.core.search.SearchQuery.fromXml(HOSTILE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE");
        XnatDocument again = XnatDocument.parse(session(2));
        assertThat(again.label()).isEqualTo("MR2");
        assertThat(again.xsiType()).isEqualTo("xnat:mrSessionData");
    }

    @Test
    void theWriterGivesTheSameTextEveryTimeWithItsDeclaration() {
        XnatDocument d = XnatDocument.parse(session(3));
        String first = d.toXml();
        assertThat(first).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"").contains("\u00e9t\u00e9 3");
        assertThat(XnatDocument.parse(session(4)).toXml()).contains("MR4");
        assertThat(d.toXml()).isEqualTo(first);
        assertThat(XnatDocument.parse(first).toXml()).isEqualTo(first);
    }

    @Test
    void threadsParseAndWriteAtOnceWithoutMixingDocuments() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                tasks.add(() -> {
                    XnatDocument d = XnatDocument.parse(session(n));
                    return d.id().equals("E" + n) && d.toXml().contains("label=\"MR" + n + "\"");
                });
            }
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
