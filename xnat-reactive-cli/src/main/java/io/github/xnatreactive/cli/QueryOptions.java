package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.search.Criteria;
import io.github.xnatreactive.core.search.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** A search on the command line: {@code --type}, {@code --field}s, {@code --where}s joined by AND or {@code --or}. */
final class QueryOptions {
    @Option(
            names = {"-t", "--type"},
            paramLabel = "TYPE",
            description = "data type of the rows, e.g. xnat:mrSessionData (see 'types')")
    String type;

    @Option(
            names = {"-f", "--field"},
            paramLabel = "FIELD",
            description = "a column: a field of the type (LABEL) or TYPE/FIELD (xnat:subjectData/SUBJECT_LABEL);"
                    + " repeat for more; none: every field of the type (see 'fields TYPE')")
    List<String> fields = new ArrayList<>();

    @Option(
            names = {"-w", "--where"},
            paramLabel = "CRITERION",
            description = "FIELD<op>VALUE with =, !=, <, >, <=, >=, or 'FIELD LIKE|IS|IS NOT VALUE' ('AGE>30',"
                    + " 'LABEL LIKE MR*', 'NOTE IS NULL'); repeat for more, all must hold")
    List<String> where = new ArrayList<>();

    @Option(names = "--or", description = "any one --where is enough (instead of all)")
    boolean or;

    @Option(names = "--sort", paramLabel = "KEY", description = "sort on this row key (e.g. label)")
    String sort;

    @Option(names = "--desc", description = "with --sort: largest first")
    boolean desc;

    SearchQuery query() {
        if (type == null || type.isBlank()) {
            throw new Cli.UsageException("a search needs --type TYPE (see 'xnat-reactive types')");
        }
        SearchQuery q;
        List<Criteria> criteria = new ArrayList<>();
        try {
            q = SearchQuery.of(type).fields(fields.toArray(String[]::new));
            for (String w : where) {
                criteria.add(Criteria.parse(w));
            }
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
        if (!criteria.isEmpty()) {
            Criteria[] all = criteria.toArray(Criteria[]::new);
            q = or ? q.whereAny(all) : q.where(all);
        }
        return sort == null ? q : q.sortBy(sort, desc);
    }
}
