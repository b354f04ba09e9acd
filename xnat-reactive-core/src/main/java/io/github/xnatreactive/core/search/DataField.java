package io.github.xnatreactive.core.search;

/**
 * A display field of a data type ({@code GET /data/search/elements/{type}}), usable in
 * {@link SearchQuery#fields(String...)} and in {@link Criteria}.
 *
 * @param element the data type
 * @param id the field's ID, e.g. {@code AGE}
 * @param header its header
 * @param summary what it holds
 * @param type its type ({@code string}, {@code integer}, {@code date}...)
 */
public record DataField(String element, String id, String header, String summary, String type) {
    /**
     * The field as a query names it from another type.
     *
     * @return {@code element/ID}
     */
    public String qualified() {
        return element + "/" + id;
    }
}
