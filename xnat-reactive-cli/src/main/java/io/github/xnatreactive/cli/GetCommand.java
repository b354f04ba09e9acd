package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatNotFoundException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Download one file, verified by size and MD5: get /projects/P/subjects/S/experiments/E/scans/1"
                + "/resources/DICOM/files/1.dcm.")
final class GetCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PATH", description = "the file's path")
    String path;

    @Option(
            names = {"-o", "--dest"},
            paramLabel = "FILE",
            description = "where to write it: a file, a folder to put it in, or - for stdout (default: its name)")
    String dest;

    GetCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            FileRef f = Paths.file(xnat, path);
            String name = Path.of(f.relativePath()).getFileName().toString();
            if ("-".equals(dest)) {
                toStdout(f);
                return Cli.OK;
            }
            Path target = cli.path(dest == null ? name : dest);
            if (Files.isDirectory(target)) {
                target = target.resolve(name);
            }
            Path written = f.download(target).block();
            cli.out.println(written);
            return Cli.OK;
        }
    }

    /**
     * Streams the bytes to stdout, checked against the listed size and MD5 as they pass: a mismatch, found only at
     * the end, is an error (exit 5) after the bytes were written, so a pipeline must check the exit code.
     */
    private void toStdout(FileRef f) {
        FileEntry entry = f.entry()
                .switchIfEmpty(Mono.error(() -> new XnatNotFoundException(
                        "GET", f.resource().path() + "/files", "No file " + f.relativePath() + " in this resource")))
                .block();
        MessageDigest md5 = md5();
        long[] size = {0};
        // written here, on the calling thread: stdout may block. The buffers reach the iterable from a worker,
        // never from an event loop (handing one over takes the iterable's lock, which its reader may hold)
        for (ByteBuffer b :
                f.content().publishOn(Schedulers.boundedElastic(), 4).toIterable(4)) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            md5.update(bytes);
            size[0] += bytes.length;
            cli.out.write(bytes, 0, bytes.length);
        }
        cli.out.flush();
        String digest = HexFormat.of().formatHex(md5.digest());
        if ((entry.size() >= 0 && entry.size() != size[0])
                || (!entry.digest().isEmpty() && !entry.digest().equalsIgnoreCase(digest))) {
            throw new XnatIntegrityException(
                    "The bytes of " + f.relativePath() + " written to stdout do not match the listing",
                    entry.size() + " bytes, MD5 " + entry.digest(),
                    size[0] + " bytes, MD5 " + digest);
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this Java", e);
        }
    }
}
