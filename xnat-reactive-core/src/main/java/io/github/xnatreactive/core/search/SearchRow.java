package io.github.xnatreactive.core.search;

import java.util.List;
import java.util.Map;

/**
 * One row of a search result: its values by the server's row keys, and the result's columns. Values are text, as
 * XNAT sends them; a missing value is {@code ""}.
 *
 * @param values the values by row key, in the server's order
 * @param columns the result's columns with their metadata (empty when the server sent none)
 */
public record SearchRow(Map<String, String> values, List<SearchColumn> columns) {
    /**
     * Copies the values.
     *
     * @param values the values by row key
     * @param columns the columns
     */
    public SearchRow {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        columns = List.copyOf(columns);
    }

    /**
     * A value by row key: for a field of the root type its ID in lower case ({@code label}), for another type's
     * {@code <type with _ for :>_<field>} in lower case ({@code xnat_subjectdata_subject_label}). Keys are matched
     * ignoring case.
     *
     * @param key the row key
     * @return the value, {@code ""} when the row has none
     */
    public String get(String key) {
        return io.github.xnatreactive.core.internal.Rows.cell(values, key);
    }

    /**
     * A value by the field as the query named it ({@code LABEL}, {@code xnat:subjectData/SUBJECT_LABEL}), through
     * the columns' metadata.
     *
     * @param rootType the query's root type
     * @param field the field, of the root type or {@code type/FIELD}
     * @return the value, {@code ""} when no column is that field
     */
    public String field(String rootType, String field) {
        int slash = SearchQuery.typeEnd(field);
        String element = slash < 0 ? rootType : field.substring(0, slash);
        String id = slash < 0 ? field : field.substring(slash + 1);
        for (SearchColumn c : columns) {
            if (c.element().equalsIgnoreCase(element) && c.id().equalsIgnoreCase(id)) {
                return get(c.key());
            }
        }
        return "";
    }
}
