package io.github.xnatreactive.core;

import java.util.List;
import java.util.Objects;

/**
 * How to upload a file: replace an existing one or not, the catalog metadata ({@code format}, {@code content},
 * {@code tags}), and for archives whether the server should extract them. Immutable.
 *
 * <pre>{@code
 * UploadOptions notes = UploadOptions.defaults().overwrite(true).format("TXT").content("NOTES").tags("site=A");
 * UploadResult result = resource.file("notes/readme.txt").upload(local, notes).block();
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

    /**
     * The starting point.
     *
     * @return no overwrite, no metadata, no extraction
     */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets whether to replace a file that exists. Without it XNAT keeps the old file and the upload reports the
     * path in {@link UploadResult#duplicates()}.
     *
     * @param overwrite true to replace an existing file
     * @return new options
     */
    public UploadOptions overwrite(boolean overwrite) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    /**
     * Sets the file's format in the catalog.
     *
     * @param format e.g. {@code DICOM} or {@code NIFTI}; null for none
     * @return new options
     */
    public UploadOptions format(String format) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    /**
     * Sets the file's content label in the catalog.
     *
     * @param content e.g. {@code RAW} or {@code T1_BRAIN}; null for none
     * @return new options
     */
    public UploadOptions content(String content) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    /**
     * Sets the file's tags in the catalog.
     *
     * @param tags free-form tags, e.g. {@code site=A}; replaces the tags set before
     * @return new options
     */
    public UploadOptions tags(String... tags) {
        return new UploadOptions(overwrite, format, content, List.of(tags), extract);
    }

    /**
     * Sets whether the server unpacks the upload (a zip, tar or tar.gz) into the resource instead of storing it.
     * {@link ResourceRef#uploadArchive(java.nio.file.Path, UploadOptions)} sets it for you.
     *
     * @param extract true to unpack
     * @return new options
     */
    public UploadOptions extract(boolean extract) {
        return new UploadOptions(overwrite, format, content, tags, extract);
    }

    /**
     * Whether an existing file is replaced.
     *
     * @return true to replace
     */
    public boolean overwrite() {
        return overwrite;
    }

    /**
     * The catalog format.
     *
     * @return the format, or null when not set
     */
    public String format() {
        return format;
    }

    /**
     * The catalog content label.
     *
     * @return the content, or null when not set
     */
    public String content() {
        return content;
    }

    /**
     * The catalog tags.
     *
     * @return an unmodifiable list, empty when none were set
     */
    public List<String> tags() {
        return tags;
    }

    /**
     * Whether the server unpacks the upload.
     *
     * @return true to unpack an archive into the resource
     */
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
