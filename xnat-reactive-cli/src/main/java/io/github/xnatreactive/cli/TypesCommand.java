package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.search.DataField;
import io.github.xnatreactive.core.search.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "types",
        mixinStandardHelpOptions = true,
        description = "List the data types the server's search engine knows, with how many of each there are.")
final class TypesCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @Mixin
    RowPrinter.Format format = new RowPrinter.Format();

    TypesCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        try (XnatClient xnat = conn.client(cli, 2)) {
            List<DataType> types = xnat.search().dataTypes().collectList().block();
            SearchCommand.printRecords(
                    cli,
                    format,
                    types.stream()
                            .map(t -> {
                                Map<String, String> m = new LinkedHashMap<>();
                                m.put("type", t.element());
                                m.put("name", t.singular());
                                m.put("count", Long.toString(t.count()));
                                m.put("secured", Boolean.toString(t.secured()));
                                return m;
                            })
                            .toList());
        }
        return Cli.OK;
    }

    @Command(
            name = "fields",
            mixinStandardHelpOptions = true,
            description = "List the fields of a data type, for 'search --field' and '--where'.")
    static final class Fields implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ConnectionOptions conn = new ConnectionOptions();

        @Mixin
        RowPrinter.Format format = new RowPrinter.Format();

        @Parameters(index = "0", paramLabel = "TYPE", description = "a data type, e.g. xnat:subjectData")
        String type;

        Fields(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            try (XnatClient xnat = conn.client(cli, 2)) {
                List<DataField> fields =
                        xnat.search().fields(type).collectList().block();
                SearchCommand.printRecords(
                        cli,
                        format,
                        fields.stream()
                                .map(f -> {
                                    Map<String, String> m = new LinkedHashMap<>();
                                    m.put("field", f.id());
                                    m.put("header", f.header());
                                    m.put("type", f.type());
                                    m.put("summary", f.summary());
                                    return m;
                                })
                                .toList());
            }
            return Cli.OK;
        }
    }
}
