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
 * ListOptions.of().filter("label", "MR*").xsiType("xnat:mrSessionData").columns("ID", "label", "date")
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

    /** No options: the server's default columns, every row. */
    public static ListOptions of() {
        return NONE;
    }

    /** Columns to ask for instead of the defaults (the ID/primary key and URI always come back). */
    public ListOptions columns(String... names) {
        return new ListOptions(List.of(names), filters, xsiType, sortBy, descending, limit, offset);
    }

    /** A server-side filter; {@code value} may use {@code *} and comma-separated alternatives. */
    public ListOptions filter(String field, String value) {
        Map<String, String> f = new LinkedHashMap<>(filters);
        f.put(Objects.requireNonNull(field), Objects.requireNonNull(value));
        return new ListOptions(columns, Map.copyOf(f), xsiType, sortBy, descending, limit, offset);
    }

    /** Only objects of this data type (or its extensions), e.g. {@code xnat:mrSessionData}. */
    public ListOptions xsiType(String type) {
        return new ListOptions(columns, filters, type, sortBy, descending, limit, offset);
    }

    public ListOptions sortBy(String column, boolean descending) {
        return new ListOptions(columns, filters, xsiType, column, descending, limit, offset);
    }

    /** Server-side paging (XNAT pages subject and experiment listings only). */
    public ListOptions page(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0");
        }
        return new ListOptions(columns, filters, xsiType, sortBy, descending, limit, offset);
    }

    /** The query parameters these options stand for. */
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
