package io.github.xnatreactive.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every file of pydicom's test corpus (Debian's {@code python3-pydicom}: {@code pydicom/data/test_files} and
 * {@code charset_files}) and compares, element by element, what {@link DicomReader} returns with what pydicom reads:
 * the same top-level tags in the same order, with the same names, the same raw value bytes (MD5), the same decoded text in every
 * character set, the same numbers, the same number of sequence items. A file pydicom reads only when forced and that
 * is not DICOM must be refused with a {@link DicomFormatException}.
 */
class PydicomCorpusTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Path SCRIPT = Path.of("src/test/python/pydicom_dump.py");
    private static final List<JsonNode> FILES = new ArrayList<>();

    /**
     * Files the reader refuses on purpose, with the reason; pydicom reads a part of them. Each must still fail with
     * a DicomFormatException (and nothing else).
     */
    private static final Map<String, String> REFUSED = Map.of(
            "no_meta.dcm",
            "a stray byte before the first tag: forced, pydicom reads one element (0820,0500) of garbage",
            "rtplan_truncated.dcm",
            "the file ends inside (300A,00B0): pydicom keeps the 711 bytes that are there, an importer must not");

    @BeforeAll
    static void dumpWithPydicom() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import pydicom")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            String message = "pydicom is not installed (apt-get install python3-pydicom)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true: .ci/run installs it)");
            }
            Assumptions.assumeTrue(false, message + "; test skipped");
        }
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = JSON.readTree(line);
                if (n.has("file")) {
                    FILES.add(n);
                }
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void everyFileReadsAsPydicomReadsIt() throws Exception {
        assertThat(FILES).hasSizeGreaterThan(80);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int elements = 0;
        int refused = 0;
        for (JsonNode f : FILES) {
            Path file = Path.of(f.get("file").asString());
            String name = file.getFileName().toString();
            boolean forced = f.path("forced").asBoolean(false);
            boolean dicomName = name.endsWith(".dcm");
            DicomHeader h;
            try {
                h = DicomReader.read(file);
            } catch (DicomFormatException e) {
                if ((forced && !dicomName) || REFUSED.containsKey(name) || f.has("error")) {
                    refused++;
                    continue;
                }
                problems.add(name + ": refused: " + e.getMessage());
                continue;
            } catch (Exception e) {
                problems.add(name + ": not a DicomFormatException: " + e);
                continue;
            }
            if (f.has("error") || (forced && !dicomName)) {
                problems.add(name + ": read, but pydicom " + (f.has("error") ? "failed" : "needed force"));
                continue;
            }
            compared++;
            elements += compare(name, f.get("elements"), h, problems);
        }
        assertThat(problems).as("differences from pydicom").isEmpty();
        assertThat(compared).isGreaterThan(70);
        assertThat(elements).isGreaterThan(3000);
        assertThat(refused).isGreaterThan(5);
    }

    private static int compare(String name, JsonNode expected, DicomHeader h, List<String> problems) throws Exception {
        List<DicomElement> got = h.elements();
        List<String> expectedTags = new ArrayList<>();
        for (JsonNode e : expected) {
            expectedTags.add(e.get("tag").asString());
        }
        List<String> gotTags = new ArrayList<>();
        for (DicomElement e : got) {
            gotTags.add(String.format("%08X", e.tag()));
        }
        if (!expectedTags.equals(gotTags)) {
            problems.add(name + ": tags differ: pydicom " + diff(expectedTags, gotTags));
            return 0;
        }
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < got.size(); i++) {
            JsonNode e = expected.get(i);
            DicomElement g = got.get(i);
            String where = name + " " + e.get("tag").asString();
            if (e.has("md5") && !g.undefinedLength()) {
                String m = HexFormat.of().formatHex(md5.digest(g.bytes()));
                if (!m.equals(e.get("md5").asString())) {
                    problems.add(where + ": value bytes differ (" + g.length() + " bytes)");
                }
            }
            if (e.has("items")
                    && g.vr().equals("SQ")
                    && g.items().size() != e.get("items").asInt()) {
                problems.add(where + ": " + g.items().size() + " items, pydicom "
                        + e.get("items").asInt());
            }
            if (e.has("str") && !e.path("vr").asString().equals("SQ")) {
                String want = e.get("str").asString();
                String have = String.join("\\", h.decode(g));
                if (!normal(want).equals(normal(have))) {
                    problems.add(where + ": text '" + have + "', pydicom '" + want + "'");
                }
            }
            if (e.has("num") && e.has("vr") && g.vr().equals(e.get("vr").asString())) {
                List<Double> want = new ArrayList<>();
                e.get("num").forEach(n -> want.add(n.asDouble()));
                List<Double> have = new ArrayList<>();
                g.numbers().forEach(n -> have.add(n.doubleValue()));
                if (!want.equals(have)) {
                    problems.add(where + ": numbers " + have + ", pydicom " + want);
                }
            }
        }
        return got.size();
    }

    /** Text as both sides pad it: each value trimmed of spaces and NULs. */
    private static String normal(String s) {
        List<String> parts = new ArrayList<>();
        for (String p : s.split("\\\\", -1)) {
            parts.add(p.replace("\0", "").strip());
        }
        return String.join("\\", parts);
    }

    private static String diff(List<String> want, List<String> have) {
        Set<String> w = Set.copyOf(want);
        Set<String> h = Set.copyOf(have);
        TreeMap<String, String> d = new TreeMap<>();
        want.stream().filter(t -> !h.contains(t)).forEach(t -> d.put(t, "missing"));
        have.stream().filter(t -> !w.contains(t)).forEach(t -> d.put(t, "extra"));
        return want.size() + " vs ours " + have.size() + " " + (d.isEmpty() ? "(order)" : d.toString());
    }

    @Test
    void notDicomIsATypedError() throws Exception {
        Path dir = Files.createTempDirectory("dicom-test");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is not DICOM at all\n".repeat(10));
        Path empty = Files.write(dir.resolve("empty.dcm"), new byte[0]);
        Path preambleOnly = Files.write(dir.resolve("short.dcm"), new byte[100]);
        for (Path p : List.of(text, empty, preambleOnly)) {
            try {
                DicomReader.read(p);
                fail(p + " was read as DICOM");
            } catch (DicomFormatException e) {
                assertThat(e.getMessage()).contains(p.getFileName().toString()).contains("DICOM");
            }
        }
    }
}
