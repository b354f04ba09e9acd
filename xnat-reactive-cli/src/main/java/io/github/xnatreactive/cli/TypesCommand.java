package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;

@Command(
        name = "types",
        mixinStandardHelpOptions = true,
        description = "List the data types the server's search engine knows, with how many of each there are.")
final class TypesCommand extends RowsCommand {
    TypesCommand(Cli cli) {
        super(cli);
    }

    @Override
    Flux<Map<String, String>> rows(XnatClient xnat) {
        return xnat.search()
                .dataTypes()
                .map(t -> SearchCommand.ordered(
                        Map.of(
                                "type", t.element(),
                                "name", t.singular(),
                                "count", Long.toString(t.count()),
                                "secured", Boolean.toString(t.secured())),
                        "type",
                        "name",
                        "count",
                        "secured"));
    }

    @Command(
            name = "fields",
            mixinStandardHelpOptions = true,
            description = "List the fields of a data type, for 'search --field' and '--where'.")
    static final class Fields extends RowsCommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "a data type, e.g. xnat:subjectData")
        String type;

        Fields(Cli cli) {
            super(cli);
        }

        @Override
        Flux<Map<String, String>> rows(XnatClient xnat) {
            return xnat.search()
                    .fields(type)
                    .map(f -> SearchCommand.ordered(
                            Map.of("field", f.id(), "header", f.header(), "type", f.type(), "summary", f.summary()),
                            "field",
                            "header",
                            "type",
                            "summary"));
        }
    }
}
