package io.github.xnatreactive.core.search;

/**
 * A column of a search: a display field of a data type ({@code xdat:search_field}).
 *
 * @param element the data type the field belongs to, e.g. {@code xnat:subjectData}
 * @param fieldId the display field's ID, e.g. {@code SUBJECT_LABEL}
 * @param header the column's header, or {@code ""} for the server's own
 */
public record SearchField(String element, String fieldId, String header) {
    /**
     * Checks the field.
     *
     * @param element the data type, not blank
     * @param fieldId the field's ID, not blank
     * @param header the header, null for the server's own
     * @throws IllegalArgumentException when the type or the field is blank
     */
    public SearchField {
        if (element == null || element.isBlank() || fieldId == null || fieldId.isBlank()) {
            throw new IllegalArgumentException("A search field needs a data type and a field ID");
        }
        header = header == null ? "" : header;
    }

    /**
     * The field as pyxnat writes it.
     *
     * @return {@code element/FIELD}
     */
    public String qualified() {
        return element + "/" + fieldId;
    }
}
