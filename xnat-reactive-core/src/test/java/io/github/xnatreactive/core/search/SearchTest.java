package io.github.xnatreactive.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatForbiddenException;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The search engine through the SDK over real HTTP against the testkit: each comparison, nested sets, joins across
 * types, rows of unreadable projects absent, column metadata, caching and paging, stored searches, inspection and
 * errors. Data: P1 (admin's, private) with subjects S1 (male, 1980), S2 (female, 1990), S3 (male, no birth year)
 * and sessions S1_MR1 (2024, age 44, scans T1w and T2w), S1_MR2 (2020, 40), S2_MR1 (2024, 34, scan T1w),
 * S3_PET1 (PET); P2 (bob's) with B1 (1950) and B1_MR1 (2024, 74).
 */
class SearchTest {
    private static final String MR = "xnat:mrSessionData";

    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").user("bob", "bob"));

    private static XnatClient admin;
    private static XnatClient bob;

    @BeforeAll
    static void data() {
        admin = client("admin");
        bob = client("bob");
        admin.project("P1").create().block();
        var p1 = admin.project("P1");
        p1.subject("S1").create(Map.of("gender", "male", "yob", "1980")).block();
        p1.subject("S2").create(Map.of("gender", "female", "yob", "1990")).block();
        p1.subject("S3").create(Map.of("gender", "male")).block();
        p1.subject("S1")
                .experiment("S1_MR1")
                .create(MR, Map.of("date", "2024-01-10"))
                .block();
        p1.subject("S1")
                .experiment("S1_MR2")
                .create(MR, Map.of("date", "2020-05-01"))
                .block();
        p1.subject("S2")
                .experiment("S2_MR1")
                .create(MR, Map.of("date", "2024-03-03"))
                .block();
        p1.subject("S3")
                .experiment("S3_PET1")
                .create("xnat:petSessionData", Map.of("date", "2024-01-01"))
                .block();
        var mr1 = p1.subject("S1").experiment("S1_MR1");
        mr1.scan("1").create("xnat:mrScanData", Map.of("type", "T1w")).block();
        mr1.scan("2").create("xnat:mrScanData", Map.of("type", "T2w")).block();
        p1.subject("S2")
                .experiment("S2_MR1")
                .scan("1")
                .create("xnat:mrScanData", Map.of("type", "T1w"))
                .block();
        bob.project("P2").create().block();
        bob.project("P2").subject("B1").create(Map.of("yob", "1950")).block();
        bob.project("P2")
                .subject("B1")
                .experiment("B1_MR1")
                .create(MR, Map.of("date", "2024-01-01"))
                .block();
    }

    @AfterAll
    static void close() {
        admin.close();
        bob.close();
    }

    private static XnatClient client(String user) {
        return XnatClient.builder()
                .serverUrl(server.server().baseUrl())
                .credentials(Credentials.password(user, user))
                .build();
    }

    private static List<String> labels(XnatClient c, SearchQuery q) {
        return c.search().rows(q).map(r -> r.get("label")).sort().collectList().block();
    }

    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of(Criteria.eq("AGE", "44"), List.of("S1_MR1")),
                Arguments.of(Criteria.ne("AGE", "44"), List.of("B1_MR1", "S1_MR2", "S2_MR1")),
                Arguments.of(Criteria.lt("AGE", "40"), List.of("S2_MR1")),
                Arguments.of(Criteria.gt("AGE", "40"), List.of("B1_MR1", "S1_MR1")),
                Arguments.of(Criteria.le("AGE", "40"), List.of("S1_MR2", "S2_MR1")),
                Arguments.of(Criteria.ge("AGE", "44"), List.of("B1_MR1", "S1_MR1")),
                Arguments.of(Criteria.like("LABEL", "s1_*"), List.of("S1_MR1", "S1_MR2")),
                Arguments.of(Criteria.isNull("VISIT_ID"), List.of("B1_MR1", "S1_MR1", "S1_MR2", "S2_MR1")),
                Arguments.of(Criteria.isNotNull("VISIT_ID"), List.of()),
                Arguments.of(Criteria.lt("DATE", "2021-01-01"), List.of("S1_MR2")));
    }

    @ParameterizedTest
    @MethodSource("comparisons")
    void eachComparison(Criteria criterion, List<String> expected) {
        SearchQuery q = SearchQuery.of(MR).fields("LABEL", "AGE").where(criterion);
        assertThat(labels(admin, q)).containsExactlyElementsOf(expected);
    }

    @Test
    void nestedSetsCombineAndWithOr() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL")
                .where(
                        Criteria.eq("PROJECT", "P1"),
                        Criteria.or(Criteria.lt("AGE", "35"), Criteria.like("LABEL", "%_MR2")));
        assertThat(labels(admin, q)).containsExactly("S1_MR2", "S2_MR1");
        SearchQuery any = SearchQuery.of(MR)
                .fields("LABEL")
                .whereAny(
                        Criteria.eq("PROJECT", "P2"), Criteria.and(Criteria.gt("AGE", "40"), Criteria.lt("AGE", "50")));
        assertThat(labels(admin, any)).containsExactly("B1_MR1", "S1_MR1");
    }

    @Test
    void subjectFieldsJoinIntoASessionSearch() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL", "xnat:subjectData/SUBJECT_LABEL", "xnat:subjectData/GENDER_TEXT")
                .where(Criteria.eq("xnat:subjectData/GENDER_TEXT", "female"));
        List<SearchRow> rows = admin.search().rows(q).collectList().block();
        assertThat(rows).hasSize(1);
        SearchRow row = rows.get(0);
        assertThat(row.get("label")).isEqualTo("S2_MR1");
        assertThat(row.get("xnat_subjectdata_subject_label")).isEqualTo("S2");
        assertThat(row.field(MR, "xnat:subjectData/GENDER_TEXT")).isEqualTo("female");
        assertThat(row.columns())
                .extracting(SearchColumn::key)
                .containsExactly("label", "xnat_subjectdata_subject_label", "xnat_subjectdata_gender_text");
        SearchColumn label = row.columns().get(0);
        assertThat(label.element()).isEqualTo(MR);
        assertThat(label.id()).isEqualTo("LABEL");
        assertThat(label.header()).isEqualTo("Label");
        assertThat(label.xPath()).isEqualTo(MR + ".LABEL");
    }

    @Test
    void scanFieldsGiveARowPerScan() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL", "xnat:mrScanData/TYPE")
                .where(Criteria.eq("PROJECT", "P1"))
                .sortBy("label", false);
        List<String> pairs = admin.search()
                .rows(q)
                .map(r -> r.get("label") + ":" + r.get("xnat_mrscandata_type"))
                .collectList()
                .block();
        // a left join: S1_MR2 has no scan and keeps its row with an empty scan type
        assertThat(pairs).containsExactlyInAnyOrder("S1_MR1:T1w", "S1_MR1:T2w", "S1_MR2:", "S2_MR1:T1w");
        assertThat(labels(admin, SearchQuery.of(MR).fields("LABEL").where(Criteria.eq("xnat:mrScanData/TYPE", "T2w"))))
                .containsExactly("S1_MR1");
    }

    @Test
    void rowsOfProjectsTheUserMayNotReadAreAbsent() {
        assertThat(labels(bob, SearchQuery.of(MR).fields("LABEL"))).containsExactly("B1_MR1");
        assertThat(labels(bob, SearchQuery.of(MR).fields("LABEL").where(Criteria.eq("PROJECT", "P1"))))
                .isEmpty();
        assertThat(bob.search()
                        .rows(SearchQuery.of("xnat:subjectData").fields("SUBJECT_LABEL"))
                        .map(r -> r.get("subject_label"))
                        .collectList()
                        .block())
                .containsExactly("B1");
    }

    @Test
    void aTypeTheUserMayNotQueryIsForbidden() {
        assertThatThrownBy(() -> admin.search()
                        .rows(SearchQuery.of("xdat:user").fields("LOGIN"))
                        .blockLast())
                .isInstanceOf(XnatForbiddenException.class);
    }

    @Test
    void unknownFieldsAndTypesAreTypedErrors() {
        assertThatThrownBy(() -> admin.search()
                        .rows(SearchQuery.of(MR).fields("NO_SUCH_FIELD"))
                        .blockLast())
                .isInstanceOf(XnatSearchException.class)
                .hasMessageContaining("Unknown field")
                .satisfies(e -> assertThat(((XnatSearchException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> admin.search()
                        .rows(SearchQuery.of("foo:barData").fields("ID"))
                        .blockLast())
                .isInstanceOf(XnatSearchException.class)
                .hasMessageContaining("Unknown data type");
    }

    @Test
    void aQueryWithoutFieldsAsksForEveryDisplayField() {
        List<SearchRow> rows = admin.search()
                .rows(SearchQuery.of("xnat:subjectData").where(Criteria.eq("SUBJECT_LABEL", "S2")))
                .collectList()
                .block();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("gender_text")).isEqualTo("female");
        assertThat(rows.get(0).columns())
                .extracting(SearchColumn::id)
                .containsAll(admin.search()
                        .fields("xnat:subjectData")
                        .map(DataField::id)
                        .collectList()
                        .block());
    }

    @Test
    void cachedResultsAreReadByPage() {
        SearchQuery q = SearchQuery.of(MR).fields("LABEL", "AGE");
        CachedSearch cached = admin.search().cache(q).block();
        assertThat(cached.totalRecords()).isEqualTo(4);
        assertThat(cached.columns()).extracting(SearchColumn::key).containsExactly("label", "age");
        List<String> first = cached.page(0, 3, "age", true)
                .map(r -> r.get("age"))
                .collectList()
                .block();
        List<String> rest = cached.page(3, 3, "age", true)
                .map(r -> r.get("age"))
                .collectList()
                .block();
        assertThat(first).containsExactly("74", "44", "40");
        assertThat(rest).containsExactly("34");
        assertThatThrownBy(() ->
                        bob.search().cachedPage(cached.id(), 0, 1, null, false).blockLast())
                .isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void sortingHappensOnTheServer() {
        SearchQuery q = SearchQuery.of(MR).fields("LABEL", "AGE").sortBy("age", false);
        assertThat(admin.search().rows(q).map(r -> r.get("label")).collectList().block())
                .containsExactly("S2_MR1", "S1_MR2", "S1_MR1", "B1_MR1");
    }

    @Test
    void storedSearchesAreSavedListedChangedRunAndDeleted() {
        Search s = admin.search();
        SearchQuery older = SearchQuery.of(MR)
                .fields("LABEL", "AGE")
                .where(Criteria.gt("AGE", "40"))
                .describedAs("older", "sessions after 40")
                .allowedUsers("admin");
        s.save("older", older).block();
        assertThat(s.savedSearches().collectList().block())
                .contains(new SavedSearch("older", "older", "sessions after 40", MR));
        SearchQuery stored = s.savedSearch("older").block();
        assertThat(stored.rootType()).isEqualTo(MR);
        assertThat(stored.criteria()).contains(new Criteria.Group(false, List.of(Criteria.gt("AGE", "40"))));
        assertThat(s.savedResults("older")
                        .map(r -> r.get("label"))
                        .sort()
                        .collectList()
                        .block())
                .containsExactly("B1_MR1", "S1_MR1");
        // bob is not among its users
        assertThat(bob.search().savedSearches().collectList().block()).isEmpty();
        assertThatThrownBy(() -> bob.search().savedSearch("older").block()).isInstanceOf(XnatNotFoundException.class);
        // changed and stored again
        s.save("older", stored.where(Criteria.ge("AGE", "40"))).block();
        assertThat(s.savedResults("older")
                        .map(r -> r.get("label"))
                        .sort()
                        .collectList()
                        .block())
                .containsExactly("B1_MR1", "S1_MR1", "S1_MR2");
        s.deleteSaved("older").block();
        assertThat(s.savedSearches().collectList().block()).isEmpty();
        assertThatThrownBy(() -> s.deleteSaved("older").block()).isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void aSharedSearchOfAnotherUserCannotBeReplaced() {
        admin.search().save("everyone", SearchQuery.of(MR).fields("LABEL")).block();
        assertThat(labels(bob, SearchQuery.of(MR).fields("LABEL"))).containsExactly("B1_MR1");
        assertThat(bob.search()
                        .savedResults("everyone")
                        .map(r -> r.get("label"))
                        .collectList()
                        .block())
                .containsExactly("B1_MR1");
        assertThatThrownBy(() -> bob.search()
                        .save("everyone", SearchQuery.of(MR).fields("AGE"))
                        .block())
                .isInstanceOf(XnatForbiddenException.class);
        admin.search().deleteSaved("everyone").block();
    }

    @Test
    void dataTypesFieldsAndValues() {
        Map<String, DataType> types =
                admin.search().dataTypes().collectMap(DataType::element).block();
        assertThat(types.get(MR).count()).isEqualTo(4);
        assertThat(types.get("xnat:subjectData").count()).isEqualTo(4);
        assertThat(types.get("xnat:investigatorData").secured()).isFalse();
        assertThat(bob.search()
                        .dataTypes()
                        .collectMap(DataType::element)
                        .block()
                        .get(MR)
                        .count())
                .isEqualTo(1);
        assertThat(admin.search()
                        .fields("xnat:subjectData")
                        .map(DataField::id)
                        .collectList()
                        .block())
                .contains("SUBJECT_ID", "SUBJECT_LABEL", "GENDER_TEXT", "AGE");
        assertThat(admin.search()
                        .distinctValues("xnat:mrScanData", "TYPE")
                        .collectList()
                        .block())
                .containsExactlyInAnyOrder("T1w", "T2w");
    }

    @Test
    void readyMadeQueriesAsPyxnatArrays() {
        List<SearchRow> experiments = admin.search()
                .rows(SearchQuery.experiments(MR).where(Criteria.eq("PROJECT", "P1")))
                .collectList()
                .block();
        assertThat(experiments).extracting(r -> r.get("label")).containsExactlyInAnyOrder("S1_MR1", "S1_MR2", "S2_MR1");
        assertThat(experiments)
                .extracting(r -> r.get("xnat_subjectdata_subject_label"))
                .contains("S1", "S2");
        List<String> scans = admin.search()
                .rows(SearchQuery.scans(MR, "xnat:mrScanData"))
                .map(r -> r.get("xnat_mrsessiondata_label") + "/" + r.get("id") + ":" + r.get("type"))
                .collectList()
                .block();
        assertThat(scans).containsExactlyInAnyOrder("S1_MR1/1:T1w", "S1_MR1/2:T2w", "S2_MR1/1:T1w");
    }

    @Test
    void listingsNarrowedByASearchAsPyxnatsWhere() {
        assertThat(admin.search()
                        .subjectsWhere("P1", Criteria.eq("GENDER_TEXT", "male"))
                        .map(s -> s.id())
                        .sort()
                        .collectList()
                        .block())
                .containsExactly("S1", "S3");
        // a joined criterion: the subjects with a session over 40, each once
        assertThat(admin.search()
                        .subjectsWhere("P1", Criteria.ge("xnat:mrSessionData/AGE", "40"))
                        .map(s -> s.id())
                        .collectList()
                        .block())
                .containsExactly("S1");
        assertThat(admin.search().subjectsWhere("P1").count().block()).isEqualTo(3);
        List<String> ids = admin.search()
                .experimentsWhere(MR, "P1", Criteria.eq("xnat:subjectData/GENDER_TEXT", "female"))
                .map(e -> e.id())
                .collectList()
                .block();
        assertThat(ids).hasSize(1);
        assertThat(admin.experiment(ids.get(0)).get().block().label()).isEqualTo("S2_MR1");
        assertThat(bob.search().subjectsWhere("P1").collectList().block()).isEmpty();
    }

    @Test
    void assessorsAreSearchedWithTheirSession() {
        admin.request(io.github.xnatreactive.core.XnatRequest.put(
                                "/data/projects/P1/subjects/S1/experiments/S1_MR1/assessors/QC1")
                        .query("xsiType", "xnat:qcManualAssessorData")
                        .query("date", "2024-02-02"))
                .discard()
                .block();
        try {
            SearchQuery q = SearchQuery.of("xnat:qcManualAssessorData")
                    .fields("LABEL", "DATE", "xnat:mrSessionData/LABEL", "xnat:subjectData/SUBJECT_LABEL")
                    .where(Criteria.eq("PROJECT", "P1"));
            List<SearchRow> rows = admin.search().rows(q).collectList().block();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).values())
                    .containsEntry("label", "QC1")
                    .containsEntry("date", "2024-02-02")
                    .containsEntry("xnat_mrsessiondata_label", "S1_MR1")
                    .containsEntry("xnat_subjectdata_subject_label", "S1");
            assertThat(bob.search().rows(q).collectList().block()).isEmpty();
        } finally {
            admin.request(io.github.xnatreactive.core.XnatRequest.delete(
                            "/data/projects/P1/subjects/S1/experiments/S1_MR1/assessors/QC1"))
                    .discard()
                    .block();
        }
    }

    @Test
    void criteriaParseAsTheCliWritesThem() {
        assertThat(Criteria.parse("AGE>30")).isEqualTo(Criteria.gt("AGE", "30"));
        assertThat(Criteria.parse("AGE >= 30")).isEqualTo(Criteria.ge("AGE", "30"));
        assertThat(Criteria.parse("PROJECT=P1")).isEqualTo(Criteria.eq("PROJECT", "P1"));
        assertThat(Criteria.parse("xnat:subjectData/GENDER_TEXT!=F"))
                .isEqualTo(Criteria.ne("xnat:subjectData/GENDER_TEXT", "F"));
        assertThat(Criteria.parse("LABEL like MR*")).isEqualTo(Criteria.like("LABEL", "MR%"));
        assertThat(Criteria.parse("NOTE is not null")).isEqualTo(Criteria.isNotNull("NOTE"));
        assertThat(Criteria.parse("NOTE IS NULL")).isEqualTo(Criteria.isNull("NOTE"));
        assertThatThrownBy(() -> Criteria.parse("AGE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Criteria.parse("NOTE IS 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void documentsRoundTrip() {
        SearchQuery q = SearchQuery.of(MR)
                .fields("LABEL", "xnat:subjectData/SUBJECT_LABEL")
                .where(
                        Criteria.eq("PROJECT", "P<1>&"),
                        Criteria.or(Criteria.isNull("AGE"), Criteria.like("LABEL", "a*")))
                .describedAs("n", "d")
                .allowedUsers("u1", "u2");
        SearchQuery back = SearchQuery.fromXml(q.toXml());
        assertThat(back.rootType()).isEqualTo(MR);
        assertThat(back.fields()).isEqualTo(q.fields());
        assertThat(back.criteria()).isEqualTo(q.criteria());
        assertThat(back.name()).isEqualTo("n");
        assertThat(back.allowedUsers()).containsExactly("u1", "u2");
        assertThatThrownBy(() -> SearchQuery.fromXml("<nope/>")).isInstanceOf(IllegalArgumentException.class);
    }
}
