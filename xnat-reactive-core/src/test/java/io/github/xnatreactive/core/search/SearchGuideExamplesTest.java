package io.github.xnatreactive.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of docs/guide/search.md, run against the testkit (seeded DEMO: 3 subjects, one MR session each with
 * scans T1w and T2w; DEMO_S001 is 44 at its session, DEMO_S002 34, DEMO_S003 has no birth year). Each block
 * between "// doc:NAME" and "// end" is a snippet of the guide, as DocSnippetsTest checks.
 */
class SearchGuideExamplesTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:3x1x2x0x200")));

    XnatClient xnat;

    @BeforeEach
    void connect() {
        xnat = XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        xnat.project("DEMO").subject("DEMO_S001").update(Map.of("yob", "1980")).block();
        xnat.project("DEMO").subject("DEMO_S002").update(Map.of("yob", "1990")).block();
    }

    @AfterEach
    void close() {
        xnat.close();
    }

    @Test
    void firstSearch() {
        // doc:firstSearch
        SearchQuery older = SearchQuery.of("xnat:mrSessionData")
                .fields("LABEL", "AGE", "xnat:subjectData/SUBJECT_LABEL")
                .where(Criteria.eq("PROJECT", "DEMO"), Criteria.gt("AGE", "40"));
        List<String> found = xnat.search()
                .rows(older)
                .map(row ->
                        row.get("label") + " (" + row.get("age") + ") of " + row.get("xnat_subjectdata_subject_label"))
                .collectList()
                .block();
        // end
        assertThat(found).containsExactly("DEMO_S001_MR1 (44) of DEMO_S001");
    }

    @Test
    void nested() {
        // doc:nested
        SearchQuery q = SearchQuery.of("xnat:mrSessionData")
                .fields("LABEL")
                .where(
                        Criteria.eq("PROJECT", "DEMO"),
                        Criteria.or(Criteria.lt("AGE", "40"), Criteria.isNull("AGE")),
                        Criteria.parse("xnat:mrScanData/TYPE = T2w"));
        // end
        assertThat(xnat.search()
                        .rows(q)
                        .map(r -> r.get("label"))
                        .sort()
                        .collectList()
                        .block())
                .containsExactly("DEMO_S002_MR1", "DEMO_S003_MR1");
    }

    @Test
    void columns() {
        SearchQuery q = SearchQuery.of("xnat:mrSessionData").fields("LABEL");
        // doc:columns
        SearchRow first = xnat.search().rows(q).blockFirst();
        for (SearchColumn c : first.columns()) {
            System.out.println(c.key() + ": " + c.header() + " (" + c.element() + "." + c.id() + ", " + c.type() + ")");
        }
        // end
        assertThat(first.columns()).extracting(SearchColumn::header).containsExactly("Label");
    }

    @Test
    void paging() {
        // doc:paging
        CachedSearch kept = xnat.search()
                .cache(SearchQuery.of("xnat:mrScanData").fields("ID", "TYPE", "xnat:mrSessionData/LABEL"))
                .block();
        long total = kept.totalRecords();
        List<SearchRow> page2 =
                kept.page(2, 2, "xnat_mrsessiondata_label", false).collectList().block();
        // end
        assertThat(total).isEqualTo(6);
        assertThat(page2)
                .extracting(r -> r.get("xnat_mrsessiondata_label"))
                .containsExactly("DEMO_S002_MR1", "DEMO_S002_MR1");
    }

    @Test
    void saved() {
        // doc:saved
        Search search = xnat.search();
        search.save(
                        "t2",
                        SearchQuery.of("xnat:mrScanData")
                                .fields("ID", "xnat:mrSessionData/LABEL")
                                .where(Criteria.eq("TYPE", "T2w"))
                                .describedAs("t2", "every T2w scan")
                                .allowedUsers("admin"))
                .block();
        List<SavedSearch> mine = search.savedSearches().collectList().block();
        long t2Scans = search.savedResults("t2").count().block();
        SearchQuery changed = search.savedSearch("t2").block().where(Criteria.eq("TYPE", "T1w"));
        search.save("t2", changed).block(); // update
        search.deleteSaved("t2").block();
        // end
        assertThat(mine).extracting(SavedSearch::id).containsExactly("t2");
        assertThat(t2Scans).isEqualTo(3);
        assertThat(changed.fields()).hasSize(2);
    }

    @Test
    void inspect() {
        // doc:inspect
        Map<String, Long> counts = xnat.search()
                .dataTypes()
                .filter(t -> t.count() > 0)
                .collectMap(DataType::element, DataType::count)
                .block();
        List<String> subjectFields = xnat.search()
                .fields("xnat:subjectData")
                .map(DataField::id)
                .collectList()
                .block();
        List<String> scanTypes = xnat.search()
                .distinctValues("xnat:mrScanData", "TYPE")
                .collectList()
                .block();
        // end
        assertThat(counts).containsEntry("xnat:mrSessionData", 3L).containsEntry("xnat:mrScanData", 6L);
        assertThat(subjectFields).contains("SUBJECT_LABEL", "GENDER_TEXT");
        assertThat(scanTypes).containsExactly("T1w", "T2w");
    }

    @Test
    void arrays() {
        // doc:arrays
        List<SearchRow> sessions = xnat.search()
                .rows(SearchQuery.experiments("xnat:mrSessionData").where(Criteria.eq("PROJECT", "DEMO")))
                .collectList()
                .block();
        List<SearchRow> t1 = xnat.search()
                .rows(SearchQuery.scans("xnat:mrSessionData", "xnat:mrScanData").where(Criteria.eq("TYPE", "T1w")))
                .collectList()
                .block();
        // end
        assertThat(sessions).hasSize(3);
        assertThat(t1)
                .extracting(r -> r.get("xnat_mrsessiondata_label"))
                .containsExactlyInAnyOrder("DEMO_S001_MR1", "DEMO_S002_MR1", "DEMO_S003_MR1");
    }

    @Test
    void where() {
        // doc:where
        List<String> males = xnat.search()
                .subjectsWhere("DEMO", Criteria.eq("GENDER_TEXT", "male"))
                .map(SubjectRef::id)
                .collectList()
                .block();
        long withAnOlderSession = xnat.search()
                .experimentsWhere("xnat:mrSessionData", "DEMO", Criteria.gt("AGE", "40"))
                .count()
                .block();
        // end
        assertThat(males).containsExactly("DEMO_S001", "DEMO_S003");
        assertThat(withAnOlderSession).isEqualTo(1);
    }

    @Test
    void errors() {
        SearchQuery q = SearchQuery.of("xnat:mrSessionData").fields("NOT_A_FIELD");
        String said = null;
        // doc:errors
        try {
            xnat.search().rows(q).blockLast();
        } catch (XnatSearchException e) {
            said = e.status() + ": " + e.serverMessage(); // 400: Unknown field: xnat:mrSessionData.NOT_A_FIELD
        }
        // end
        assertThat(said).isEqualTo("400: Unknown field: xnat:mrSessionData.NOT_A_FIELD");
    }
}
