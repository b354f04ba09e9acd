package io.github.xnatreactive.testkit.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A resource catalog ({@code xnat:resourceCatalog}) and its file entries. Guarded by the {@link Store}'s monitor. */
public final class Resource {
    public final long id;
    public String label;
    public String format = "";
    public String content = "";
    public String description = "";
    public final List<String> tags = new ArrayList<>();
    public final Item owner;
    /** {@code in} or {@code out} for assessor and reconstruction resources, null otherwise. */
    public final String direction;
    /** Directory holding the file bytes. */
    public final Path dir;
    /** Entries by relative path (sorted, so listings are stable). */
    public final TreeMap<String, CatalogFile> files = new TreeMap<>();

    Resource(long id, String label, Item owner, String direction, Path dir) {
        this.id = id;
        this.label = label;
        this.owner = owner;
        this.direction = direction;
        this.dir = dir;
    }

    public long totalSize() {
        long n = 0;
        for (CatalogFile f : files.values()) {
            n += f.size;
        }
        return n;
    }

    /** One catalog entry, with the MD5 and CRC-32 of its bytes. Immutable: an overwrite replaces the entry. */
    public record CatalogFile(
            String path,
            long size,
            String md5,
            long crc,
            String format,
            String content,
            String tags,
            long lastModified) {

        public String name() {
            int i = path.lastIndexOf('/');
            return i < 0 ? path : path.substring(i + 1);
        }
    }
}
