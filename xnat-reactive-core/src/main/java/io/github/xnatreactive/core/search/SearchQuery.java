package io.github.xnatreactive.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A search of XNAT's search engine, immutable: a root data type (one row per item of it the user may read), its
 * columns, criteria in nested AND/OR sets, sorting, and for a stored search a name, a description and the users
 * it is shared with. Each method returns a changed copy. Run it with {@link Search#rows(SearchQuery)}; its XML
 * form ({@link #toXml()}) is the {@code xdat:search} document XNAT reads, {@link #fromXml(String)} reads one back.
 *
 * <p>Fields are display fields of the root type ({@code "LABEL"}) or of another type written {@code type/FIELD}
 * ({@code "xnat:subjectData/SUBJECT_LABEL"}): XNAT joins that type's rows (a session's subject, a session's scans)
 * into the result. For example
 * {@code SearchQuery.of("xnat:mrSessionData").fields("LABEL", "AGE").where(Criteria.gt("AGE", "30"))}.
 */
public final class SearchQuery {
    private final String rootType;
    private final List<SearchField> fields;
    private final Criteria criteria;
    private final String sortBy;
    private final boolean descending;
    private final String name;
    private final String description;
    private final List<String> allowedUsers;

    private SearchQuery(
            String rootType,
            List<SearchField> fields,
            Criteria criteria,
            String sortBy,
            boolean descending,
            String name,
            String description,
            List<String> allowedUsers) {
        this.rootType = rootType;
        this.fields = List.copyOf(fields);
        this.criteria = criteria;
        this.sortBy = sortBy;
        this.descending = descending;
        this.name = name;
        this.description = description;
        this.allowedUsers = List.copyOf(allowedUsers);
    }

    /**
     * A search for items of a data type, with no columns or criteria yet. Without columns,
     * {@link Search#rows(SearchQuery)} asks for every display field of the type, as pyxnat's {@code select(type)}.
     *
     * @param rootType the data type of the rows, e.g. {@code xnat:mrSessionData} (see {@link Search#dataTypes()})
     * @return the search
     * @throws IllegalArgumentException when the type is blank or not written {@code prefix:name}
     */
    public static SearchQuery of(String rootType) {
        if (rootType == null || rootType.isBlank() || rootType.indexOf(':') <= 0 || rootType.contains("/")) {
            throw new IllegalArgumentException("A search's root type is written prefix:name, e.g. xnat:mrSessionData,"
                    + " not '" + rootType + "'");
        }
        return new SearchQuery(rootType.trim(), List.of(), null, null, false, "", "", List.of());
    }

    /**
     * pyxnat's {@code array.experiments}, as a search: one row per experiment of the type, with its accession ID,
     * label, project, date, and its subject's ID and label.
     *
     * @param experimentType the session type, e.g. {@code xnat:mrSessionData}
     * @return the search, to narrow with {@link #where}
     */
    public static SearchQuery experiments(String experimentType) {
        return of(experimentType)
                .fields("SESSION_ID", "LABEL", "PROJECT", "DATE", "SUBJECT_ID", "xnat:subjectData/SUBJECT_LABEL");
    }

    /**
     * pyxnat's {@code array.scans}, as a search: one row per scan of the scan type, with its ID, type, series
     * description and quality, and its session's ID, label, project and subject.
     *
     * @param experimentType the session type the scans belong to, e.g. {@code xnat:mrSessionData}
     * @param scanType the scan type, e.g. {@code xnat:mrScanData}
     * @return the search, to narrow with {@link #where}
     */
    public static SearchQuery scans(String experimentType, String scanType) {
        return of(scanType)
                .fields("ID", "TYPE", "SERIES_DESCRIPTION", "QUALITY")
                .fields(experimentType + "/SESSION_ID", experimentType + "/LABEL", experimentType + "/PROJECT")
                .fields(experimentType + "/SUBJECT_ID");
    }

    /**
     * Adds columns.
     *
     * @param fields fields of the root type ({@code LABEL}) or {@code type/FIELD}
     * @return the changed copy
     * @throws IllegalArgumentException for a blank field
     */
    public SearchQuery fields(String... fields) {
        SearchQuery q = this;
        for (String f : fields) {
            q = q.field(f, "");
        }
        return q;
    }

    /**
     * Adds a column with its header.
     *
     * @param field a field of the root type or {@code type/FIELD}
     * @param header the column's header; {@code ""} for the server's own
     * @return the changed copy
     * @throws IllegalArgumentException for a blank field
     */
    public SearchQuery field(String field, String header) {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("A search field is not blank");
        }
        String f = field.trim();
        int slash = typeEnd(f);
        SearchField sf = slash < 0
                ? new SearchField(rootType, f, header)
                : new SearchField(f.substring(0, slash), f.substring(slash + 1), header);
        List<SearchField> all = new ArrayList<>(fields);
        all.add(sf);
        return new SearchQuery(rootType, all, criteria, sortBy, descending, name, description, allowedUsers);
    }

    /**
     * Sets the criteria; several are joined by AND. Replaces criteria set before.
     *
     * @param criteria conditions or groups, at least one
     * @return the changed copy
     * @throws IllegalArgumentException when none is given
     */
    public SearchQuery where(Criteria... criteria) {
        Criteria c = criteria.length == 1 ? criteria[0] : Criteria.and(criteria);
        return new SearchQuery(
                rootType, fields, Objects.requireNonNull(c), sortBy, descending, name, description, allowedUsers);
    }

    /**
     * Sets criteria of which any one is enough (OR). Replaces criteria set before.
     *
     * @param criteria conditions or groups, at least one
     * @return the changed copy
     * @throws IllegalArgumentException when none is given
     */
    public SearchQuery whereAny(Criteria... criteria) {
        return new SearchQuery(
                rootType, fields, Criteria.or(criteria), sortBy, descending, name, description, allowedUsers);
    }

    /**
     * Sorts the rows on the server.
     *
     * @param key a row key, as {@link SearchRow#get(String)} takes it ({@code label}, {@code xnat_subjectdata_age})
     * @param descending true for the largest first
     * @return the changed copy
     */
    public SearchQuery sortBy(String key, boolean descending) {
        return new SearchQuery(rootType, fields, criteria, key, descending, name, description, allowedUsers);
    }

    /**
     * Names the search, for storing it ({@code brief-description}) and describes it.
     *
     * @param name the name shown by XNAT and pyxnat ({@code manage.search.saved()})
     * @param description a longer description, {@code ""} for none
     * @return the changed copy
     */
    public SearchQuery describedAs(String name, String description) {
        return new SearchQuery(
                rootType,
                fields,
                criteria,
                sortBy,
                descending,
                name == null ? "" : name,
                description == null ? "" : description,
                allowedUsers);
    }

    /**
     * Shares a stored search with these users only ({@code xdat:allowed_user}); without any (the default) the
     * search is stored as pyxnat's {@code sharing='public'} stores one.
     *
     * @param logins the users' logins
     * @return the changed copy
     */
    public SearchQuery allowedUsers(String... logins) {
        return new SearchQuery(rootType, fields, criteria, sortBy, descending, name, description, List.of(logins));
    }

    /**
     * The data type of the rows.
     *
     * @return e.g. {@code xnat:mrSessionData}
     */
    public String rootType() {
        return rootType;
    }

    /**
     * The columns, in order.
     *
     * @return the fields, possibly empty
     */
    public List<SearchField> fields() {
        return fields;
    }

    /**
     * The criteria.
     *
     * @return the criteria, empty when every readable item of the root type matches
     */
    public Optional<Criteria> criteria() {
        return Optional.ofNullable(criteria);
    }

    /**
     * The row key the server sorts on.
     *
     * @return the key, empty for the server's order
     */
    public Optional<String> sortBy() {
        return Optional.ofNullable(sortBy);
    }

    /**
     * Whether the sort is descending.
     *
     * @return true for the largest first
     */
    public boolean descending() {
        return descending;
    }

    /**
     * The stored search's name.
     *
     * @return the name, {@code ""} when none was given
     */
    public String name() {
        return name;
    }

    /**
     * The stored search's description.
     *
     * @return the description, {@code ""} when none was given
     */
    public String description() {
        return description;
    }

    /**
     * The users a stored search is shared with.
     *
     * @return their logins, empty when it is not limited
     */
    public List<String> allowedUsers() {
        return allowedUsers;
    }

    /**
     * The {@code xdat:search} document XNAT reads: root element, search fields, and the criteria as
     * {@code xdat:search_where} with nested {@code xdat:child_set}s.
     *
     * @return the XML document
     */
    public String toXml() {
        return SearchXml.write(this);
    }

    /**
     * Reads an {@code xdat:search} or {@code xdat:bundle} document, such as a stored search
     * ({@link Search#savedSearch(String)}), into a query to change and run.
     *
     * @param xml the document
     * @return the query; fields and criteria of the root type are written without it
     * @throws IllegalArgumentException when the XML does not parse or is not a search document
     */
    public static SearchQuery fromXml(String xml) {
        return SearchXml.read(xml);
    }

    /** Rebuilds a query from its parts (for {@link SearchXml#read}). */
    static SearchQuery of(
            String rootType,
            List<SearchField> fields,
            Criteria criteria,
            String name,
            String description,
            List<String> allowedUsers) {
        return new SearchQuery(rootType, fields, criteria, null, false, name, description, allowedUsers);
    }

    /** Where {@code type/FIELD} splits, or -1 for a field of the root type. */
    static int typeEnd(String field) {
        int slash = field.indexOf('/');
        return slash > 0 && field.substring(0, slash).indexOf(':') > 0 ? slash : -1;
    }

    /** The element and field of a criterion's field, the root type when it names none. */
    String schemaField(String field) {
        return typeEnd(field) < 0 ? rootType + "/" + field : field;
    }

    /** The root type, the number of fields, and whether criteria are set. */
    @Override
    public String toString() {
        return "SearchQuery[" + rootType + ", " + fields.size() + " fields" + (criteria == null ? "" : ", criteria")
                + "]";
    }
}
