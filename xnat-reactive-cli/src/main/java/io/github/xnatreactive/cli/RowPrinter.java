package io.github.xnatreactive.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import tools.jackson.databind.ObjectMapper;

/**
 * Prints rows as they come: CSV and JSON lines at once (so a result of any size streams), an aligned table once
 * its first {@link #SCREEN} rows are in (their widths size the columns; a longer cell later just overflows, so a
 * long table streams too). The columns are those of the first row.
 */
final class RowPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows a table holds back to size its columns. */
    static final int SCREEN = 100;

    /** {@code --csv} or {@code --json}; neither gives an aligned table. */
    static final class Format {
        @Option(names = "--csv", description = "comma-separated values with a header line")
        boolean csv;

        @Option(names = "--json", description = "one JSON object per line")
        boolean json;
    }

    private final PrintStream out;
    private final Format format;
    private final List<Map<String, String>> table = new ArrayList<>();
    private List<String> columns;
    private int[] width;

    RowPrinter(PrintStream out, Format format) {
        this.out = out;
        this.format = format;
        if (format.csv && format.json) {
            throw new Cli.UsageException("--csv and --json exclude each other");
        }
    }

    void row(Map<String, String> row) {
        if (format.json) {
            out.println(JSON.writeValueAsString(row));
            return;
        }
        if (columns == null) {
            columns = new ArrayList<>(row.keySet());
            if (format.csv) {
                out.println(csvLine(columns));
            }
        }
        if (format.csv) {
            List<String> cells = new ArrayList<>(columns.size());
            columns.forEach(c -> cells.add(row.getOrDefault(c, "")));
            out.println(csvLine(cells));
        } else if (width != null) {
            printRow(row);
        } else {
            table.add(row);
            if (table.size() >= SCREEN) {
                printTable();
            }
        }
    }

    void finish() {
        if (format.csv || format.json || columns == null || width != null) {
            out.flush();
            return;
        }
        printTable();
        out.flush();
    }

    private void printTable() {
        width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            int w = columns.get(i).length();
            for (Map<String, String> r : table) {
                w = Math.max(w, r.getOrDefault(columns.get(i), "").length());
            }
            width[i] = w;
        }
        out.println(aligned(columns, width));
        table.forEach(this::printRow);
        table.clear();
    }

    private void printRow(Map<String, String> r) {
        List<String> cells = new ArrayList<>(columns.size());
        columns.forEach(c -> cells.add(r.getOrDefault(c, "")));
        out.println(aligned(cells, width));
    }

    private static String aligned(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(cells.get(i))
                    .append(" ".repeat(Math.max(1, width[i] - cells.get(i).length() + 2)));
        }
        return b.toString().stripTrailing();
    }

    private static String csvLine(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String v = cells.get(i);
            if (i > 0) {
                b.append(',');
            }
            boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0;
            b.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
        }
        return b.toString();
    }
}
