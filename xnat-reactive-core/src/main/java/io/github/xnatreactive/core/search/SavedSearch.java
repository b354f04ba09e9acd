package io.github.xnatreactive.core.search;

/**
 * A stored search, as {@code GET /data/search/saved} lists it.
 *
 * @param id its ID, used in {@code /data/search/saved/{id}}
 * @param name its name ({@code brief_description}; pyxnat's name for it)
 * @param description its description
 * @param rootType the data type of its rows
 */
public record SavedSearch(String id, String name, String description, String rootType) {}
