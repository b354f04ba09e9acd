package io.github.xnatreactive.core.search;

import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatHttpException;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.core.internal.ResultSetParser;
import io.github.xnatreactive.core.internal.Uris;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * XNAT's search engine: ad-hoc searches, cached results read by page, stored searches, and the data types and
 * fields it knows. Rows stream as they arrive, through the same incremental parser as the listings, so a result
 * of any size needs the memory of one row. Get it from {@link XnatClient#search()}.
 *
 * <pre>{@code
 * SearchQuery withT1 = SearchQuery.of("xnat:mrSessionData")
 *         .fields("LABEL", "xnat:subjectData/SUBJECT_LABEL")
 *         .where(Criteria.eq("PROJECT", "P1"), Criteria.eq("xnat:mrScanData/TYPE", "T1w"));
 * List<String> labels = xnat.search()
 *         .rows(withT1)
 *         .map(row -> row.get("label") + " of " + row.get("xnat_subjectdata_subject_label"))
 *         .collectList()
 *         .block();
 * }</pre>
 *
 * <p>Errors: a document the server cannot read or a type or field it does not know is an
 * {@link XnatSearchException}; a type the user may not query an
 * {@link io.github.xnatreactive.core.XnatForbiddenException}. Rows of projects the user may not read are absent,
 * not an error.
 */
public final class Search {
    private final XnatClient client;

    private Search(XnatClient client) {
        this.client = client;
    }

    /**
     * The search engine of a client; the same as {@link XnatClient#search()}.
     *
     * @param client the client, not null
     * @return the search engine; no I/O
     */
    public static Search of(XnatClient client) {
        return new Search(Objects.requireNonNull(client, "client"));
    }

    /**
     * Runs a search ({@code POST /data/search?format=json}) and streams its rows. A query without fields asks for
     * every display field of its root type first.
     *
     * @param query the search
     * @return the rows, each with the result's column metadata; empty when nothing matches
     */
    public Flux<SearchRow> rows(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        return complete(query).flatMapMany(q -> stream(post(q, false), null));
    }

    /**
     * Runs a search and has the server keep the result ({@code cache=true}) to read by page with
     * {@link CachedSearch#page(int, int)}. The rows of this first answer are read and dropped, not kept.
     *
     * @param query the search
     * @return the kept result's ID, row count and columns
     */
    public Mono<CachedSearch> cache(SearchQuery query) {
        Objects.requireNonNull(query, "query");
        return complete(query).flatMap(q -> {
            ResultSetParser[] done = new ResultSetParser[1];
            return stream(post(q, true), p -> done[0] = p).then(Mono.fromCallable(() -> {
                Map<String, String> meta = done[0].meta();
                String id = meta.getOrDefault("ID", "");
                if (id.isEmpty()) {
                    throw new io.github.xnatreactive.core.XnatProtocolException(
                            "The server kept no search result: its answer to cache=true has no ID");
                }
                return new CachedSearch(this, id, count(meta.get("totalRecords")), columns(done[0]));
            }));
        });
    }

    Flux<SearchRow> cachedPage(String id, int offset, int limit, String sortKey, boolean descending) {
        XnatRequest r = XnatRequest.get("/data/search/" + Uris.segment(id))
                .query("format", "json")
                .query("offset", Integer.toString(offset))
                .query("limit", Integer.toString(limit));
        if (sortKey != null) {
            r = r.query("sortBy", sortKey).query("sortOrder", descending ? "DESC" : "ASC");
        }
        return stream(r, null);
    }

    // ------------------------------------------------------------------ listings narrowed by a search

    /**
     * pyxnat's {@code project.subjects().where(constraints)}: the subjects of a project for which the criteria
     * hold. Criteria name subject fields ({@code GENDER_TEXT}) or, joined, fields of other types
     * ({@code xnat:mrSessionData/AGE}: the subjects with such a session).
     *
     * @param project the project's ID
     * @param criteria the criteria, all of which must hold; none for every subject of the project
     * @return refs to the matching subjects, each once
     */
    public Flux<SubjectRef> subjectsWhere(String project, Criteria... criteria) {
        Objects.requireNonNull(project, "project");
        SearchQuery q = SearchQuery.of("xnat:subjectData").fields("SUBJECT_LABEL", "PROJECT");
        return rows(q.where(all(Criteria.eq("PROJECT", project), criteria)))
                .map(r -> r.get("subject_label"))
                .distinct()
                .map(label -> client.project(project).subject(label));
    }

    /**
     * pyxnat's {@code experiments().where(constraints)}: the experiments of a type in a project for which the
     * criteria hold (fields of the type, or joined ones such as {@code xnat:subjectData/GENDER_TEXT}).
     *
     * @param experimentType the session type, e.g. {@code xnat:mrSessionData}
     * @param project the project's ID
     * @param criteria the criteria, all of which must hold; none for every experiment of the type in the project
     * @return refs to the matching experiments by accession ID, each once
     */
    public Flux<ExperimentRef> experimentsWhere(String experimentType, String project, Criteria... criteria) {
        Objects.requireNonNull(project, "project");
        SearchQuery q = SearchQuery.of(experimentType).fields("SESSION_ID", "PROJECT");
        return rows(q.where(all(Criteria.eq("PROJECT", project), criteria)))
                .map(r -> r.get("session_id"))
                .distinct()
                .map(client::experiment);
    }

    private static Criteria all(Criteria first, Criteria... more) {
        if (more.length == 0) {
            return first;
        }
        List<Criteria> members = new ArrayList<>();
        members.add(first);
        members.addAll(List.of(more));
        return new Criteria.Group(false, members);
    }

    // ------------------------------------------------------------------ stored searches

    /**
     * The stored searches the user may see ({@code GET /data/search/saved}).
     *
     * @return the stored searches
     */
    public Flux<SavedSearch> savedSearches() {
        return stream(XnatRequest.get("/data/search/saved").query("format", "json"), null)
                .map(r -> new SavedSearch(
                        r.get("id"), r.get("brief_description"), r.get("description"), r.get("root_element_name")));
    }

    /**
     * A stored search as a query to change and run, or to store again with {@link #save(String, SearchQuery)}.
     *
     * @param id the stored search's ID
     * @return the query; {@link io.github.xnatreactive.core.XnatNotFoundException} when there is none the user may
     *     see
     */
    public Mono<SearchQuery> savedSearch(String id) {
        return client.request(XnatRequest.get(savedPath(id)))
                .text()
                // the XML parser may read its JAXP configuration from disk: off the event loop
                .publishOn(Schedulers.boundedElastic())
                .map(SearchQuery::fromXml)
                .onErrorMap(Search::typed);
    }

    /**
     * Runs a stored search for the user ({@code GET /data/search/saved/{id}/results}) and streams its rows.
     *
     * @param id the stored search's ID
     * @return the rows
     */
    public Flux<SearchRow> savedResults(String id) {
        return stream(XnatRequest.get(savedPath(id) + "/results").query("format", "json"), null);
    }

    /**
     * Stores a search under an ID, or replaces the one stored there ({@code PUT /data/search/saved/{id}}), as
     * pyxnat's {@code manage.search.save}. A query without a name is stored with the ID as its name.
     *
     * @param id the ID: letters, digits, {@code _}, {@code -}, {@code .}
     * @param query the search; its {@link SearchQuery#allowedUsers(String...)} limit who sees it
     * @return completes when stored; {@link io.github.xnatreactive.core.XnatForbiddenException} when another
     *     user's search is stored there
     * @throws IllegalArgumentException for a blank ID (thrown when called)
     */
    public Mono<Void> save(String id, SearchQuery query) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A stored search needs an ID");
        }
        SearchQuery named = query.name().isEmpty() ? query.describedAs(id, query.description()) : query;
        return client.request(
                        XnatRequest.put(savedPath(id)).query("inbody", "true").body(named.toXml(), "text/xml"))
                .discard()
                .onErrorMap(Search::typed);
    }

    /**
     * Deletes a stored search ({@code DELETE /data/search/saved/{id}}).
     *
     * @param id the stored search's ID
     * @return completes when deleted; {@link io.github.xnatreactive.core.XnatNotFoundException} when there is none
     */
    public Mono<Void> deleteSaved(String id) {
        return client.request(XnatRequest.delete(savedPath(id))).discard().onErrorMap(Search::typed);
    }

    private static String savedPath(String id) {
        return "/data/search/saved/" + Uris.segment(Objects.requireNonNull(id, "id"));
    }

    // ------------------------------------------------------------------ inspection

    /**
     * The data types the search engine knows, with how many items of each there are
     * ({@code GET /data/search/elements}), as pyxnat's {@code inspect.datatypes()}.
     *
     * @return the data types
     */
    public Flux<DataType> dataTypes() {
        return stream(XnatRequest.get("/data/search/elements").query("format", "json"), null)
                .map(r -> new DataType(
                        r.get("ELEMENT_NAME"),
                        r.get("SINGULAR"),
                        r.get("PLURAL"),
                        Boolean.parseBoolean(r.get("SECURED")),
                        count(r.get("COUNT"))));
    }

    /**
     * The display fields of a data type ({@code GET /data/search/elements/{type}}), as pyxnat's
     * {@code inspect.datafields(type)}.
     *
     * @param type the data type, e.g. {@code xnat:subjectData}
     * @return its fields
     */
    public Flux<DataField> fields(String type) {
        return stream(
                        XnatRequest.get("/data/search/elements/" + Uris.segment(Objects.requireNonNull(type, "type")))
                                .query("format", "json"),
                        null)
                .map(r -> new DataField(
                        r.get("ELEMENT_NAME").isEmpty() ? type : r.get("ELEMENT_NAME"),
                        r.get("FIELD_ID"),
                        r.get("HEADER"),
                        r.get("SUMMARY"),
                        r.get("TYPE")));
    }

    /**
     * The distinct values a field takes among the items the user may read, as pyxnat's
     * {@code inspect.field_values(type/FIELD)}.
     *
     * @param type the data type
     * @param field a display field of the type
     * @return the distinct values, in the order first met, {@code ""} included when some item has none
     */
    public Flux<String> distinctValues(String type, String field) {
        return rows(SearchQuery.of(type).fields(field))
                .map(r -> r.values().isEmpty()
                        ? ""
                        : r.columns().isEmpty()
                                ? r.values().values().iterator().next()
                                : r.get(r.columns().get(0).key()))
                .distinct();
    }

    // ------------------------------------------------------------------ plumbing

    /** The query, or with every display field of its type when it has none. */
    private Mono<SearchQuery> complete(SearchQuery q) {
        if (!q.fields().isEmpty()) {
            return Mono.just(q);
        }
        return fields(q.rootType()).map(DataField::id).collectList().map(ids -> {
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(
                        "The server lists no fields for " + q.rootType() + ": name the fields of the search");
            }
            return q.fields(ids.toArray(String[]::new));
        });
    }

    private static XnatRequest post(SearchQuery q, boolean cache) {
        XnatRequest r = XnatRequest.post("/data/search").query("format", "json");
        if (cache) {
            r = r.query("cache", "true");
        }
        if (q.sortBy().isPresent()) {
            r = r.query("sortBy", q.sortBy().get()).query("sortOrder", q.descending() ? "DESC" : "ASC");
        }
        return r.body(q.toXml(), "text/xml");
    }

    /**
     * A result's rows as they arrive; {@code atEnd} sees the parser when the body is complete (for the meta entries
     * that follow the rows).
     */
    private Flux<SearchRow> stream(XnatRequest request, java.util.function.Consumer<ResultSetParser> atEnd) {
        return Flux.defer(() -> {
                    ResultSetParser parser = new ResultSetParser();
                    List<List<SearchColumn>> cols = new ArrayList<>(1);
                    return client.request(request).stream()
                            .concatMapIterable(buf -> rows(parser, parser.feed(bytes(buf)), cols))
                            .concatWith(Flux.defer(() -> {
                                List<SearchRow> last = rows(parser, parser.finish(), cols);
                                if (atEnd != null) {
                                    atEnd.accept(parser);
                                }
                                return Flux.fromIterable(last);
                            }));
                })
                .onErrorMap(Search::typed);
    }

    private static List<SearchRow> rows(
            ResultSetParser parser, List<Map<String, String>> rows, List<List<SearchColumn>> cols) {
        if (rows.isEmpty()) {
            return List.of();
        }
        if (cols.isEmpty()) {
            cols.add(columns(parser)); // XNAT sends Columns before the rows
        }
        List<SearchRow> out = new ArrayList<>(rows.size());
        for (Map<String, String> r : rows) {
            out.add(new SearchRow(r, cols.get(0)));
        }
        return out;
    }

    private static List<SearchColumn> columns(ResultSetParser parser) {
        List<SearchColumn> out = new ArrayList<>();
        for (Map<String, String> c : parser.columns()) {
            out.add(SearchColumn.from(c));
        }
        return List.copyOf(out);
    }

    private static byte[] bytes(ByteBuffer buf) {
        if (buf.hasArray() && buf.arrayOffset() == 0 && buf.position() == 0 && buf.remaining() == buf.capacity()) {
            return buf.array(); // the fresh heap buffer of XnatCall.stream(): no second copy
        }
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }

    private static long count(String s) {
        try {
            return s == null || s.isBlank() ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Throwable typed(Throwable e) {
        if (e instanceof XnatHttpException h
                && !(e instanceof XnatSearchException)
                && (h.status() == 400 || h.status() == 422)) {
            return new XnatSearchException(h);
        }
        return e;
    }

    /** Names the client's server. */
    @Override
    public String toString() {
        return "Search[" + client.serverUrl() + "]";
    }
}
