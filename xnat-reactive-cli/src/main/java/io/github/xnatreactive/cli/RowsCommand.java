package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import reactor.core.publisher.Flux;

/** A command that prints the rows it reads from the server as a table, CSV or JSON lines, as they arrive. */
abstract class RowsCommand implements Callable<Integer> {
    final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Mixin
    RowPrinter.Format format = new RowPrinter.Format();

    RowsCommand(Cli cli) {
        this.cli = cli;
    }

    /** The rows to print; checked options first (a usage error before any connection). */
    abstract Flux<Map<String, String>> rows(XnatClient xnat);

    /** Checks the options before connecting; a problem is a {@link Cli.UsageException}. */
    void check() {}

    @Override
    public Integer call() {
        check();
        RowPrinter printer = new RowPrinter(cli.out, format);
        try (XnatClient xnat = conn.client(cli, 2)) {
            rows(xnat).doOnNext(printer::row).blockLast();
        }
        printer.finish();
        return Cli.OK;
    }
}
