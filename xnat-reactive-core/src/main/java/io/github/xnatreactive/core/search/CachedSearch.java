package io.github.xnatreactive.core.search;

import java.util.List;
import reactor.core.publisher.Flux;

/**
 * A search result the server keeps ({@code cache=true}), read page by page from {@code /data/search/{id}}. Made by
 * {@link Search#cache(SearchQuery)}.
 */
public final class CachedSearch {
    private final Search search;
    private final String id;
    private final long totalRecords;
    private final List<SearchColumn> columns;

    CachedSearch(Search search, String id, long totalRecords, List<SearchColumn> columns) {
        this.search = search;
        this.id = id;
        this.totalRecords = totalRecords;
        this.columns = List.copyOf(columns);
    }

    /**
     * The server's ID for the kept result.
     *
     * @return the ID used in {@code /data/search/{id}}
     */
    public String id() {
        return id;
    }

    /**
     * How many rows the result has.
     *
     * @return the server's {@code totalRecords}
     */
    public long totalRecords() {
        return totalRecords;
    }

    /**
     * The result's columns.
     *
     * @return the columns with their metadata
     */
    public List<SearchColumn> columns() {
        return columns;
    }

    /**
     * One page of rows, in the server's order.
     *
     * @param offset the first row, from 0
     * @param limit at most this many rows
     * @return the page's rows, streamed
     * @throws IllegalArgumentException for a negative offset or a limit below 1 (thrown when called)
     */
    public Flux<SearchRow> page(int offset, int limit) {
        return page(offset, limit, null, false);
    }

    /**
     * One page of rows, sorted by the server.
     *
     * @param offset the first row, from 0
     * @param limit at most this many rows
     * @param sortKey the row key to sort on, null for the server's order
     * @param descending true for the largest first
     * @return the page's rows, streamed
     * @throws IllegalArgumentException for a negative offset or a limit below 1 (thrown when called)
     */
    public Flux<SearchRow> page(int offset, int limit, String sortKey, boolean descending) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("A page needs offset >= 0 and limit >= 1");
        }
        return search.cachedPage(id, offset, limit, sortKey, descending);
    }

    /** The ID and the number of rows. */
    @Override
    public String toString() {
        return "CachedSearch[" + id + ", " + totalRecords + " rows]";
    }
}
