package io.github.xnatreactive.cli;

import picocli.CommandLine.Option;

/** How transfer commands report: a progress line on a terminal, nothing ({@code --quiet}), or JSON lines. */
public final class OutputOptions {
    @Option(
            names = {"-q", "--quiet"},
            description = "no progress, only errors and the final summary line")
    boolean quiet;

    @Option(names = "--json", description = "print progress events and the final report as JSON lines on stdout")
    boolean json;
}
