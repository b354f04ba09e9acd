package io.github.xnatreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code search}, {@code search saved ls|run|save|rm}, {@code types} and {@code fields} against a testkit. */
class SearchCliTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:3x1x2x0x200")));

    @TempDir
    Path home;

    /** Exit code, stdout and stderr of one command. */
    record Result(int code, String out, String err) {}

    Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env =
                Map.of("XNAT_HOST", xnat.server().baseUrl(), "XNAT_USER", "admin", "XNAT_PASS", "admin");
        int code = new Cli(
                        env,
                        home,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        prompt -> null,
                        false)
                .execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void searchPrintsCsvJsonAndATable() {
        Result csv = cli(
                "search",
                "--type",
                "xnat:mrSessionData",
                "--field",
                "LABEL",
                "--field",
                "xnat:subjectData/GENDER_TEXT",
                "--where",
                "xnat:subjectData/GENDER_TEXT=male",
                "--where",
                "PROJECT=DEMO",
                "--sort",
                "label",
                "--csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        assertThat(csv.out().split("\n"))
                .containsExactly("label,xnat_subjectdata_gender_text", "DEMO_S001_MR1,male", "DEMO_S003_MR1,male");

        Result or = cli(
                "search",
                "-t",
                "xnat:mrSessionData",
                "-f",
                "LABEL",
                "-w",
                "LABEL LIKE DEMO_S001*",
                "-w",
                "LABEL=DEMO_S002_MR1",
                "--or",
                "--sort",
                "label",
                "--json");
        assertThat(or.code()).as(or.err()).isZero();
        String[] lines = or.out().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path("label").asString()).isEqualTo("DEMO_S001_MR1");

        Result table =
                cli("search", "--type", "xnat:mrScanData", "--field", "ID", "--field", "TYPE", "--where", "TYPE=T2w");
        assertThat(table.code()).as(table.err()).isZero();
        String[] rows = table.out().split("\n");
        assertThat(rows).hasSize(4); // a header and the T2w scan of each of the 3 sessions
        assertThat(rows[0]).startsWith("id  ").contains("type");
        assertThat(rows[1]).matches("2\\s+T2w");
    }

    @Test
    void badSearchesAreUsageOrServerErrors() {
        Result noType = cli("search", "--field", "LABEL");
        assertThat(noType.code()).isEqualTo(Cli.USAGE);
        assertThat(noType.err()).contains("--type");
        Result badWhere = cli("search", "--type", "xnat:mrSessionData", "--where", "AGE");
        assertThat(badWhere.code()).isEqualTo(Cli.USAGE);
        assertThat(badWhere.err()).contains("Not a criterion");
        Result unknown = cli("search", "--type", "xnat:mrSessionData", "--field", "NOPE");
        assertThat(unknown.code()).isEqualTo(Cli.ERROR);
        assertThat(unknown.err()).contains("Unknown field");
    }

    @Test
    void storedSearchesAreSavedListedRunAndRemoved() {
        Result save = cli(
                "search",
                "saved",
                "save",
                "females",
                "--type",
                "xnat:subjectData",
                "--field",
                "SUBJECT_LABEL",
                "--where",
                "GENDER_TEXT=female",
                "--description",
                "all female subjects");
        assertThat(save.code()).as(save.err()).isZero();
        Result ls = cli("search", "saved", "ls", "--csv");
        assertThat(ls.out().split("\n"))
                .containsExactly("id,name,type,description", "females,females,xnat:subjectData,all female subjects");
        Result run = cli("search", "saved", "run", "females", "--csv");
        assertThat(run.out().split("\n")).containsExactly("subject_label", "DEMO_S002");
        assertThat(cli("search", "saved", "rm", "females").code()).isZero();
        assertThat(cli("search", "saved", "ls", "--csv").out()).isEmpty();
        assertThat(cli("search", "saved", "run", "females").code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(cli("search", "saved").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void typesAndFields() {
        Result types = cli("types", "--csv");
        assertThat(types.code()).as(types.err()).isZero();
        assertThat(types.out())
                .startsWith("type,name,count,secured\n")
                .contains("xnat:mrSessionData,MR Session,3,true");
        Result fields = cli("fields", "xnat:subjectData", "--json");
        assertThat(fields.code()).as(fields.err()).isZero();
        assertThat(fields.out()).contains("\"field\":\"SUBJECT_LABEL\"").contains("\"field\":\"GENDER_TEXT\"");
    }
}
