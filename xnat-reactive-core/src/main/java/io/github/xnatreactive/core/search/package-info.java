/**
 * XNAT's search engine: {@link io.github.xnatreactive.core.search.SearchQuery} builds a search (root type, fields,
 * {@link io.github.xnatreactive.core.search.Criteria} in nested AND/OR sets), and
 * {@link io.github.xnatreactive.core.search.Search} (from {@code XnatClient.search()}) runs it, streams its rows,
 * keeps results for paging, stores searches, and lists the data types and fields the server knows.
 */
package io.github.xnatreactive.core.search;
