package io.github.xnatreactive.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the access commands print records: an aligned table (default), CSV or JSON lines, as {@code ls} does. */
final class AccessOutput {
    @Option(names = "--csv", description = "comma-separated values with a header line")
    boolean csv;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    void print(Cli cli, List<Map<String, String>> rows) {
        RowPrinter.Format format = new RowPrinter.Format();
        format.csv = csv;
        format.json = json;
        RowPrinter printer = new RowPrinter(cli.out, format);
        rows.forEach(printer::row);
        printer.finish();
    }
}
