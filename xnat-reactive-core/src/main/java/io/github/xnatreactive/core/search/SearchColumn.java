package io.github.xnatreactive.core.search;

import java.util.Map;

/**
 * A column of a search result, as the server describes it in the result's {@code Columns} block.
 *
 * @param key the row key ({@code label}, {@code xnat_subjectdata_subject_label})
 * @param element the data type the column comes from
 * @param id the display field's ID
 * @param header the column's header
 * @param type the field's type ({@code string}, {@code integer}, {@code date}...)
 * @param xPath the field as {@code element.FIELD}
 */
public record SearchColumn(String key, String element, String id, String header, String type, String xPath) {
    static SearchColumn from(Map<String, String> m) {
        return new SearchColumn(
                m.getOrDefault("key", ""),
                m.getOrDefault("element_name", ""),
                m.getOrDefault("id", ""),
                m.getOrDefault("header", ""),
                m.getOrDefault("type", ""),
                m.getOrDefault("xPATH", ""));
    }
}
