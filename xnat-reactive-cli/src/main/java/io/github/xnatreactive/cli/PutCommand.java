package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.UploadResult;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = "Upload one file: put local.dcm /projects/P/subjects/S/experiments/E/scans/1/resources/DICOM"
                + "/files/1.dcm (the resource is created when missing).")
final class PutCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "LOCAL", description = "the local file")
    Path local;

    @Parameters(index = "1", paramLabel = "PATH", description = "the file's path on the server")
    String path;

    @Option(names = "--overwrite", description = "replace the file when it exists")
    boolean overwrite;

    @Option(names = "--format", paramLabel = "F", description = "catalog format, e.g. DICOM")
    String format;

    @Option(names = "--content", paramLabel = "C", description = "catalog content, e.g. RAW")
    String content;

    @Option(names = "--tag", paramLabel = "T", description = "catalog tag (repeatable)")
    List<String> tags = new ArrayList<>();

    PutCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(local)) {
            throw new Cli.UsageException("not a file: " + local);
        }
        try (XnatClient xnat = conn.client(cli, 2)) {
            FileRef f = Paths.file(xnat, path);
            FileEntry existing = f.entry()
                    .onErrorResume(XnatNotFoundException.class, e -> Mono.empty()) // no resource yet
                    .block();
            if (existing != null && identical(existing)) {
                cli.out.println(f.path() + ": already there with the same bytes and catalog entry; nothing to do");
                return Cli.OK;
            }
            // an overwrite keeps the file's catalog format, content and tags unless new ones are given
            boolean keep = existing != null && overwrite;
            UploadOptions o = UploadOptions.defaults()
                    .overwrite(overwrite)
                    .format(format != null ? format : keep ? blankToNull(existing.format()) : null)
                    .content(content != null ? content : keep ? blankToNull(existing.content()) : null)
                    .tags(!tags.isEmpty() ? tags.toArray(String[]::new) : keep ? tags(existing) : new String[0]);
            UploadResult r = f.upload(local, o).block();
            if (!r.stored()) {
                cli.err.println("xnat-reactive: " + path + " exists with other bytes; kept the server's copy (use"
                        + " --overwrite to replace it)");
                return Cli.FAILED_ITEMS;
            }
            cli.out.println(f.path());
            return Cli.OK;
        }
    }

    /** Same size and MD5 as the local file, and no catalog metadata asked for that the entry does not have. */
    private boolean identical(FileEntry e) {
        if (e.digest().isEmpty() || e.size() < 0) {
            return false; // the server cannot tell: upload
        }
        boolean sameMeta = (format == null || format.equals(e.format()))
                && (content == null || content.equals(e.content()))
                && (tags.isEmpty() || List.of(tags(e)).equals(tags));
        try {
            if (Files.size(local) != e.size() || !sameMeta) {
                return false;
            }
            MessageDigest md5 = GetCommand.md5();
            try (InputStream in = Files.newInputStream(local)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md5.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(e.digest());
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + local, ex);
        }
    }

    private static String[] tags(FileEntry e) {
        return e.tags().isBlank()
                ? new String[0]
                : java.util.Arrays.stream(e.tags().split(","))
                        .map(String::strip)
                        .filter(t -> !t.isEmpty())
                        .toArray(String[]::new);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
