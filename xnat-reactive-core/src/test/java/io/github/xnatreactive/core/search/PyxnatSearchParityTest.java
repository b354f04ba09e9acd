package io.github.xnatreactive.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The SDK returns the rows pyxnat returns: the same data and the same searches as the search block of the testkit's
 * pyxnat check ({@code pyxnat_check.py}, run by {@code ThirdPartyClientsIT}), checked against the same expected
 * rows ({@code search-parity.json}). pyxnat's {@code select(...).where(...)} is {@link Search#rows}, its
 * {@code manage.search} is {@link Search#save} and the stored-search calls, {@code inspect} is
 * {@link Search#dataTypes()}, {@link Search#fields} and {@link Search#distinctValues}, and {@code array} is
 * {@link SearchQuery#experiments} and {@link SearchQuery#scans}.
 */
class PyxnatSearchParityTest {
    private static final String MR = "xnat:mrSessionData";
    private static final String PROJECT = "SRCH";
    private static final Path PARITY = Path.of("..", "xnat-reactive-testkit/src/test/resources/search-parity.json");

    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").user("alice", "alicepw"));

    private static JsonNode parity;
    private static XnatClient admin;
    private static XnatClient alice;

    @BeforeAll
    static void data() throws Exception {
        parity = new ObjectMapper().readTree(Files.readString(PARITY));
        admin = XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
        alice = XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(Credentials.password("alice", "alicepw"))
                .build();
        admin.project(PROJECT).create().block();
        for (JsonNode s : parity.path("subjects")) {
            Map<String, String> fields = new HashMap<>();
            for (String k : List.of("gender", "yob")) {
                if (s.has(k)) {
                    fields.put(k, s.path(k).asString());
                }
            }
            admin.project(PROJECT)
                    .subject(s.path("label").asString())
                    .create(fields)
                    .block();
        }
        for (JsonNode e : parity.path("sessions")) {
            SubjectRef subject =
                    admin.project(PROJECT).subject(e.path("subject").asString());
            var session = subject.experiment(e.path("label").asString());
            session.create(MR, Map.of("date", e.path("date").asString())).block();
            for (JsonNode scan : e.path("scans")) {
                session.scan(scan.path(0).asString())
                        .create("xnat:mrScanData", Map.of("type", scan.path(1).asString()))
                        .block();
            }
        }
    }

    @AfterAll
    static void close() {
        admin.close();
        alice.close();
    }

    private static List<List<String>> expected(String name) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : parity.path(name)) {
            List<String> cells = new ArrayList<>();
            row.forEach(c -> cells.add(c.asString()));
            out.add(cells);
        }
        return out;
    }

    private static List<List<String>> rows(XnatClient c, SearchQuery q, String... keys) {
        List<List<String>> out = new ArrayList<>();
        for (SearchRow r : c.search().rows(q).collectList().block()) {
            List<String> cells = new ArrayList<>();
            for (String k : keys) {
                cells.add(r.get(k));
            }
            out.add(cells);
        }
        out.sort(Comparator.comparing(Object::toString));
        return out;
    }

    private static SearchQuery older() {
        return SearchQuery.of(MR)
                .fields("LABEL", "AGE", "xnat:subjectData/SUBJECT_LABEL")
                .where(Criteria.eq("PROJECT", PROJECT), Criteria.gt("AGE", "35"));
    }

    @Test
    void selectWhere() {
        assertThat(rows(admin, older(), "label", "age", "xnat_subjectdata_subject_label"))
                .isEqualTo(expected("older_than_35"));
    }

    @Test
    void nestedSets() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL")
                .where(
                        Criteria.eq("PROJECT", PROJECT),
                        Criteria.or(Criteria.lt("AGE", "35"), Criteria.like("LABEL", "*MR2")));
        assertThat(rows(admin, q, "label")).isEqualTo(expected("nested_or"));
    }

    @Test
    void subjectFieldsInASessionSearch() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL", "xnat:subjectData/SUBJECT_LABEL")
                .where(Criteria.eq("xnat:subjectData/GENDER_TEXT", "female"), Criteria.eq("PROJECT", PROJECT));
        assertThat(rows(admin, q, "label", "xnat_subjectdata_subject_label"))
                .isEqualTo(expected("female_subjects_sessions"));
    }

    @Test
    void rowsAUserMayNotReadAreAbsent() {
        assertThat(rows(alice, older(), "label")).isEmpty();
    }

    @Test
    void storedSearches() {
        Search s = admin.search();
        s.save("older", older().describedAs("older", "over 35").allowedUsers("admin"))
                .block();
        assertThat(s.savedSearches().map(SavedSearch::name).collectList().block())
                .contains("older");
        List<List<String>> results = new ArrayList<>();
        for (SearchRow r : s.savedResults("older").collectList().block()) {
            results.add(List.of(r.get("label"), r.get("age"), r.get("xnat_subjectdata_subject_label")));
        }
        results.sort(Comparator.comparing(Object::toString));
        assertThat(results).isEqualTo(expected("older_than_35"));
        SearchQuery stored = s.savedSearch("older").block();
        assertThat(stored.rootType()).isEqualTo(MR);
        assertThat(stored.fields())
                .extracting(SearchField::qualified)
                .containsExactly(MR + "/LABEL", MR + "/AGE", "xnat:subjectData/SUBJECT_LABEL");
        assertThat(alice.search()
                        .savedSearches()
                        .map(SavedSearch::name)
                        .collectList()
                        .block())
                .doesNotContain("older");
        s.deleteSaved("older").block();
        assertThat(s.savedSearches().map(SavedSearch::name).collectList().block())
                .doesNotContain("older");
    }

    @Test
    void inspection() {
        assertThat(admin.search()
                        .dataTypes()
                        .map(DataType::element)
                        .collectList()
                        .block())
                .contains(MR, "xnat:subjectData");
        List<String> fields = new ArrayList<>();
        parity.path("subject_fields").forEach(f -> fields.add(f.asString()));
        assertThat(admin.search()
                        .fields("xnat:subjectData")
                        .map(DataField::id)
                        .collectList()
                        .block())
                .containsAll(fields);
        List<String> types = new ArrayList<>();
        parity.path("scan_types").forEach(f -> types.add(f.asString()));
        assertThat(admin.search()
                        .distinctValues("xnat:mrScanData", "TYPE")
                        .collectList()
                        .block())
                .containsAll(types);
    }

    @Test
    void collectionWhere() {
        List<String> males = admin.search()
                .subjectsWhere(PROJECT, Criteria.eq("GENDER_TEXT", "male"))
                .map(SubjectRef::id)
                .sort()
                .collectList()
                .block();
        assertThat(males).containsExactlyElementsOf(strings("male_subjects"));
        List<String> joined = admin.search()
                .subjectsWhere(PROJECT, Criteria.ge(MR + "/AGE", "40"))
                .map(SubjectRef::id)
                .sort()
                .collectList()
                .block();
        assertThat(joined).containsExactlyElementsOf(strings("subjects_with_a_session_of_40_or_more"));
    }

    private static List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        parity.path(name).forEach(v -> out.add(v.asString()));
        return out;
    }

    @Test
    void arrays() {
        assertThat(rows(admin, SearchQuery.experiments(MR).where(Criteria.eq("PROJECT", PROJECT)), "label"))
                .isEqualTo(expected("experiments"));
        assertThat(rows(
                        admin,
                        SearchQuery.scans(MR, "xnat:mrScanData").where(Criteria.eq(MR + "/PROJECT", PROJECT)),
                        "xnat_mrsessiondata_label",
                        "id"))
                .isEqualTo(expected("scans"));
    }
}
