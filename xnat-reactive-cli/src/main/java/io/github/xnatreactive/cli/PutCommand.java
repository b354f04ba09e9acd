package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.UploadResult;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            UploadOptions o = UploadOptions.defaults()
                    .overwrite(overwrite)
                    .format(format)
                    .content(content)
                    .tags(tags.toArray(String[]::new));
            UploadResult r = f.upload(local, o).block();
            if (!r.stored()) {
                cli.err.println("xnat-reactive: " + path + " exists; kept the server's copy (use --overwrite to"
                        + " replace it)");
                return Cli.FAILED_ITEMS;
            }
            cli.out.println(f.path());
            return Cli.OK;
        }
    }
}
