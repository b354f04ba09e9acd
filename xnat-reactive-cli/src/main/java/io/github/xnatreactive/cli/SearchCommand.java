package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.search.SearchQuery;
import io.github.xnatreactive.core.search.SearchRow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;

@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Search with XNAT's search engine: one row per item of --type that you may read, with the --field "
                    + "columns, where the --where criteria hold. Rows print as they arrive (--csv, --json) or as a table.",
            "Example: search --type xnat:mrSessionData --field LABEL --field AGE --where 'AGE>30' --where 'PROJECT=P1'"
        },
        subcommands = {SearchCommand.Saved.class})
final class SearchCommand extends RowsCommand {
    @Mixin
    QueryOptions query = new QueryOptions();

    private SearchQuery q;

    SearchCommand(Cli cli) {
        super(cli);
    }

    @Override
    void check() {
        q = query.query();
    }

    @Override
    Flux<Map<String, String>> rows(XnatClient xnat) {
        return xnat.search().rows(q).map(SearchRow::values);
    }

    @Command(
            name = "saved",
            mixinStandardHelpOptions = true,
            description = "Stored searches: ls, run ID, save ID (with the search options), rm ID.",
            subcommands = {Saved.Ls.class, Saved.Run.class, Saved.Save.class, Saved.Rm.class})
    static final class Saved implements Runnable {
        @Override
        public void run() {
            throw new Cli.UsageException("saved needs a command: ls, run, save or rm");
        }

        @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the stored searches you may see.")
        static final class Ls extends RowsCommand {
            Ls(Cli cli) {
                super(cli);
            }

            @Override
            Flux<Map<String, String>> rows(XnatClient xnat) {
                return xnat.search()
                        .savedSearches()
                        .map(s -> Map.of(
                                "id", s.id(), "name", s.name(), "type", s.rootType(), "description", s.description()))
                        .map(m -> ordered(m, "id", "name", "type", "description"));
            }
        }

        @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a stored search.")
        static final class Run extends RowsCommand {
            @Parameters(index = "0", paramLabel = "ID", description = "the stored search's ID (see 'search saved ls')")
            String id;

            Run(Cli cli) {
                super(cli);
            }

            @Override
            Flux<Map<String, String>> rows(XnatClient xnat) {
                return xnat.search().savedResults(id).map(SearchRow::values);
            }
        }

        @Command(
                name = "save",
                mixinStandardHelpOptions = true,
                description = "Store a search (given as for 'search') under an ID, or replace the one stored there.")
        static final class Save implements Callable<Integer> {
            private final Cli cli;

            @Mixin
            ConnectionOptions conn = new ConnectionOptions();

            @Mixin
            QueryOptions query = new QueryOptions();

            @Parameters(index = "0", paramLabel = "ID", description = "letters, digits, _, - and .")
            String id;

            @Option(names = "--description", paramLabel = "TEXT", description = "what the search is for")
            String description = "";

            @Option(
                    names = "--share",
                    paramLabel = "LOGIN",
                    description = "only these users see it (repeat); without: shared as pyxnat's sharing='public'")
            List<String> share = List.of();

            Save(Cli cli) {
                this.cli = cli;
            }

            @Override
            public Integer call() {
                SearchQuery q = query.query().describedAs(id, description).allowedUsers(share.toArray(String[]::new));
                try (XnatClient xnat = conn.client(cli, 2)) {
                    xnat.search().save(id, q).block();
                }
                cli.out.println("saved " + id);
                return Cli.OK;
            }
        }

        @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a stored search.")
        static final class Rm implements Callable<Integer> {
            private final Cli cli;

            @Mixin
            ConnectionOptions conn = new ConnectionOptions();

            @Parameters(index = "0", paramLabel = "ID", description = "the stored search's ID")
            String id;

            Rm(Cli cli) {
                this.cli = cli;
            }

            @Override
            public Integer call() {
                try (XnatClient xnat = conn.client(cli, 2)) {
                    xnat.search().deleteSaved(id).block();
                }
                cli.out.println("deleted " + id);
                return Cli.OK;
            }
        }
    }

    /** The entries of {@code m} in the order of {@code keys}. */
    static Map<String, String> ordered(Map<String, String> m, String... keys) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, m.getOrDefault(k, ""));
        }
        return out;
    }
}
