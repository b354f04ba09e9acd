package io.github.xnatreactive.core;

import static io.github.xnatreactive.core.Records.s;

import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * One element of a DICOM header as XNAT's dicomdump service lists it ({@code GET /data/services/dicomdump?src=}),
 * for the first DICOM file of a session or scan. Every column is kept in {@link #columns()}.
 *
 * @param tag the tag, e.g. {@code (0020,000D)}
 * @param itemTag the tag inside a sequence item, or ""
 * @param vr the value representation, e.g. {@code UI}
 * @param value the value as text ("" for binary values and sequences)
 * @param description the tag's name, e.g. {@code Study Instance UID}
 * @param columns every column of the row
 */
public record DicomDumpEntry(
        String tag, String itemTag, String vr, String value, String description, Map<String, String> columns) {
    /**
     * Creates the record and copies {@code columns}.
     *
     * @param tag the tag
     * @param itemTag the tag inside a sequence item, or ""
     * @param vr the value representation
     * @param value the value as text
     * @param description the tag's name
     * @param columns every column of the row
     */
    public DicomDumpEntry {
        columns = Map.copyOf(columns);
    }

    /**
     * Builds the record from a row of the dicomdump listing.
     *
     * @param row the row's columns ({@code tag1}, {@code tag2}, {@code vr}, {@code value}, {@code desc})
     * @return the entry
     */
    public static DicomDumpEntry from(Map<String, String> row) {
        return new DicomDumpEntry(s(row, "tag1"), s(row, "tag2"), s(row, "vr"), s(row, "value"), s(row, "desc"), row);
    }

    /** The dump of {@code src}: {@code /archive/...} or {@code /prearchive/...}, without {@code /data}. */
    static Flux<DicomDumpEntry> of(XnatClient client, String src) {
        return client.rows("/data/services/dicomdump", "/data/services/dicomdump", Map.of("src", src))
                .map(DicomDumpEntry::from);
    }
}
