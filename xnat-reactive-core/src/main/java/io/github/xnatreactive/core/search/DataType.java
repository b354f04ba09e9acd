package io.github.xnatreactive.core.search;

/**
 * A data type the search engine knows ({@code GET /data/search/elements}).
 *
 * @param element the type's name, e.g. {@code xnat:mrSessionData}
 * @param singular its singular display name
 * @param plural its plural display name
 * @param secured whether access to it follows project permissions
 * @param count how many items of it there are (as the server counts them)
 */
public record DataType(String element, String singular, String plural, boolean secured, long count) {}
