package io.github.xnatreactive.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Server-side listing options: columns, filters (on short names such as {@code label} or XPaths such as
 * {@code xnat:mrSessionData/fieldStrength}, with {@code *} wildcards and comma lists), type, sorting and paging.
 * Immutable; each method returns a new instance.
 *
 * <pre>{@code
 * ListOptions mrOnly = ListOptions.of()
 *         .filter("label", "*_MR1")
 *         .xsiType("xnat:mrSessionData")
 *         .columns("ID", "label", "date")
 *         .sortBy("date", true);
 * List<Experiment> sessions = xnat.project("P1").experiments(mrOnly).collectList().block();
 * }</pre>
 */
public final class ListOptions {
    private static final ListOptions NONE = new ListOptions(List.of(), Map.of(), null, null, false, -1, -1);

    private final List<String> columns;
    private final Map<String, String> filters;
    private final String xsiType;
    private final String sortBy;
    private final boolean descending;
    private final int limit;
    private final int offset;

    private ListOptions(
            List<String> columns,
            Map<String, String> filters,
            String xsiType,
            String sortBy,
            boolean descending,
            int limit,
            int offset) {
        this.columns = columns;
        this.filters = filters;
        this.xsiType = xsiType;
        this.sortBy = sortBy;
        this.descending = descending;
        this.limit = limit;
        this.offset = offset;
    }

    /**
     * The starting point: no options.
     *
     * @return options for the server's default columns and every row
     */
    public static ListOptions of() {
        return NONE;
    }

    /**
     * Asks for these columns instead of the defaults (the ID/primary key and URI always come back). Columns the
     * records have no component for are in their {@code columns()} map.
     *
     * @param names short names ({@code label}) or XPaths ({@code xnat:mrSessionData/fieldStrength}); replaces
     *     the columns set before
     * @return new options
     */
    public ListOptions columns(String... names) {
        return new ListOptions(List.of(names), filters, xsiType, sortBy, descending, limit, offset);
    }

    /**
     * Adds a server-side filter. Filters on different fields must all match; a second filter on the same field
     * replaces the first.
     *
     * @param field a short name or an XPath; not null
     * @param value the value to match; may use {@code *} and comma-separated alternatives; not null
     * @return new options
     */
    public ListOptions filter(String field, String value) {
        Map<String, String> f = new LinkedHashMap<>(filters);
        f.put(Objects.requireNonNull(field), Objects.requireNonNull(value));
        return new ListOptions(columns, Map.copyOf(f), xsiType, sortBy, descending, limit, offset);
    }

    /**
     * Lists only objects of this data type (or its extensions).
     *
     * @param type e.g. {@code xnat:mrSessionData}; null for every type
     * @return new options
     */
    public ListOptions xsiType(String type) {
        return new ListOptions(columns, filters, type, sortBy, descending, limit, offset);
    }

    /**
     * Has the server sort the rows.
     *
     * @param column the column to sort by
     * @param descending true for descending order, false for ascending
     * @return new options
     */
    public ListOptions sortBy(String column, boolean descending) {
        return new ListOptions(columns, filters, xsiType, column, descending, limit, offset);
    }

    /**
     * Asks for one page of rows. XNAT pages subject and experiment listings only; other listings come whole.
     *
     * @param offset the rows to skip, from 0
     * @param limit the most rows to return
     * @return new options
     * @throws IllegalArgumentException when {@code offset} or {@code limit} is negative
     */
    public ListOptions page(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0");
        }
        return new ListOptions(columns, filters, xsiType, sortBy, descending, limit, offset);
    }

    /**
     * The query parameters these options stand for, as sent to the server.
     *
     * @return a new mutable map: {@code columns}, the filters, {@code xsiType}, {@code sortBy}/{@code sortOrder},
     *     {@code limit}/{@code offset}, each only when set
     */
    public Map<String, String> toParams() {
        Map<String, String> p = new LinkedHashMap<>();
        if (!columns.isEmpty()) {
            p.put("columns", String.join(",", columns));
        }
        p.putAll(filters);
        if (xsiType != null) {
            p.put("xsiType", xsiType);
        }
        if (sortBy != null) {
            p.put("sortBy", sortBy);
            p.put("sortOrder", descending ? "DESC" : "ASC");
        }
        if (limit >= 0) {
            p.put("limit", Integer.toString(limit));
            p.put("offset", Integer.toString(Math.max(0, offset)));
        }
        return p;
    }

    List<String> columnList() {
        return new ArrayList<>(columns);
    }

    @Override
    public String toString() {
        return "ListOptions" + toParams();
    }
}
