package io.github.xnatreactive.cli;

import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferPlan;
import io.github.xnatreactive.bulk.TransferReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.ObjectMapper;

/** Runs a transfer for a command: progress, report, exit code; or prints the plan of a dry run. */
final class Transfers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Transfers() {}

    static int run(Cli cli, OutputOptions out, Transfer transfer) {
        Reporter reporter = new Reporter(cli, out);
        TransferReport report = transfer.events()
                .doOnNext(reporter::on)
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        reporter.finish(report);
        return report.succeeded() ? Cli.OK : Cli.FAILED_ITEMS;
    }

    /**
     * Prints what a transfer would do, per group (session or resource, from {@code groupOf} applied to an item):
     * files and bytes to move, files already in place; then the totals.
     */
    static int dryRun(Cli cli, OutputOptions out, Transfer transfer, Function<TransferItem, String> groupOf) {
        TransferPlan plan = transfer.plan().block();
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (TransferItem i : plan.toTransfer()) {
            long[] g = groups.computeIfAbsent(groupOf.apply(i), k -> new long[3]);
            g[0]++;
            g[1] += Math.max(0, i.size());
        }
        for (TransferItem i : plan.upToDate()) {
            groups.computeIfAbsent(groupOf.apply(i), k -> new long[3])[2]++;
        }
        if (out.json) {
            groups.forEach((k, g) -> cli.out.println(
                    JSON.writeValueAsString(Map.of("group", k, "files", g[0], "bytes", g[1], "upToDate", g[2]))));
            cli.out.println(JSON.writeValueAsString(Map.of(
                    "event",
                    "plan",
                    "files",
                    plan.toTransfer().size(),
                    "bytes",
                    plan.bytesToTransfer(),
                    "upToDate",
                    plan.upToDate().size())));
        } else {
            groups.forEach((k, g) -> cli.out.printf(
                    java.util.Locale.ROOT,
                    "%-60s %6d files %10s to transfer, %d in" + " place%n",
                    k,
                    g[0],
                    Reporter.bytes(g[1]),
                    g[2]));
            cli.out.println("dry run: " + plan.summary());
        }
        return Cli.OK;
    }
}
