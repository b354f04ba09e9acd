package io.github.xnatreactive.core;

import java.util.List;
import java.util.Objects;

/**
 * How to upload a file: replace an existing one or not, the catalog metadata ({@code format}, {@code content},
 * {@code tags}), and for archives whether the server should extract them. Immutable.
 *
 * <pre>{@code
 * UploadOptions.defaults().overwrite(true).format("DICOM").content("RAW").tags("site=A")
 * }</pre>
 */
public final class UploadOptions {
    private static final UploadOptions DEFAULTS = new UploadOptions(false, null, null, List.of(), false);

    private final boolean overwrite;
    private final String format;
    private final String content;
    private final List<String> tags;
    private final boolean extract;

    private UploadOptions(boolean overwrite, String format, String content, List<String> tags, boolean extract) {
        this.overwrite = overwrite;
        this.format = format;
        this.content = content;
        this.tags = tags;
        this.extract = extract;
    }

    /** No overwrite, no metadata, no extraction. */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    /** Replace the file when it exists (otherwise XNAT keeps the old one and reports a duplicate). */
    public UploadOptions overwrite(boolean overwrite) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    public UploadOptions format(String format) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    public UploadOptions content(String content) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    public UploadOptions tags(String... tags) {
        return new UploadOptions(overwrite, format, content, List.of(tags), extract);
    }

    /** Have the server unpack a zip, tar or tar.gz into the resource instead of storing it. */
    public UploadOptions extract(boolean extract) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    public boolean overwrite() {
        return overwrite;
    }

    public String format() {
        return format;
    }

    public String content() {
        return content;
    }

    public List<String> tags() {
        return tags;
    }

    public boolean extract() {
        return extract;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UploadOptions u
                && u.overwrite == overwrite
                && u.extract == extract
                && Objects.equals(u.format, format)
                && Objects.equals(u.content, content)
                && u.tags.equals(tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(overwrite, format, content, tags, extract);
    }
}
