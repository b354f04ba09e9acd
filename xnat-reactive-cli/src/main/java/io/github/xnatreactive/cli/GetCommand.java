package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.XnatClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Download one file, verified by size and MD5: get /projects/P/subjects/S/experiments/E/scans/1"
                + "/resources/DICOM/files/1.dcm")
final class GetCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Parameters(index = "0", paramLabel = "PATH", description = "the file's path")
    String path;

    @Option(
            names = {"-o", "--dest"},
            paramLabel = "FILE",
            description = "where to write it (default: its name)")
    Path dest;

    GetCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            FileRef f = Paths.file(xnat, path);
            Path target = dest != null
                    ? dest
                    : Path.of(Path.of(f.relativePath()).getFileName().toString());
            Path written = f.download(target).block();
            cli.out.println(written);
            return Cli.OK;
        }
    }
}
