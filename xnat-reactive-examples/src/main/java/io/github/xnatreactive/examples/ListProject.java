package io.github.xnatreactive.examples;

import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatException;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lists a project's subjects and their sessions, with the number of scans in each, as a small table. The listings
 * are fetched a few at a time and the rows come out in the server's order.
 *
 * <p>Run: {@code XNAT_HOST=https://xnat.example.org XNAT_USER=me XNAT_PASS=... java -cp ...
 * io.github.xnatreactive.examples.ListProject PROJECT}
 */
public final class ListProject {
    /** One line of the table: a session of a subject (session "-" for a subject that has none). */
    public record Row(String subject, String session, String xsiType, String date, long scans) {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ListProject PROJECT");
            System.exit(2);
        }
        try (XnatClient xnat = XnatClient.builder().fromEnvironment().build()) {
            System.out.print(table(rows(xnat, args[0]).collectList().block()));
        } catch (XnatException e) { // 404, 401, ...: the message names the request and the server's answer
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** Every subject of the project, then each of its sessions with its scan count. */
    public static Flux<Row> rows(XnatClient xnat, String projectId) {
        ProjectRef project = xnat.project(projectId);
        return project.subjects()
                .flatMapSequential(
                        subject -> project.subject(subject.label())
                                .experiments()
                                .flatMapSequential(session -> scanCount(xnat, subject.label(), session), 4)
                                .defaultIfEmpty(new Row(subject.label(), "-", "", "", 0)),
                        4);
    }

    private static Mono<Row> scanCount(XnatClient xnat, String subject, Experiment session) {
        return xnat.experiment(session.id())
                .scans()
                .count()
                .map(n -> new Row(subject, session.label(), session.xsiType(), session.date(), n));
    }

    /** The rows as a fixed-width text table with a header line. */
    public static String table(List<Row> rows) {
        String format = "%-16s %-20s %-22s %-10s %5s%n";
        StringBuilder out =
                new StringBuilder(String.format(Locale.ROOT, format, "SUBJECT", "SESSION", "TYPE", "DATE", "SCANS"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, format, r.subject(), r.session(), r.xsiType(), r.date(), r.scans()));
        }
        return out.toString();
    }

    private ListProject() {}
}
