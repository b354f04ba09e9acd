package io.github.xnatreactive.bulk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upload planner's walk of a local folder: which files it finds, in what order, with which sizes. */
class LocalWalkTest {
    @TempDir
    Path tmp;

    @Test
    void findsRegularFilesAndLinksToThemInPathOrderWithTheSizesItRead() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("resource"));
        Files.write(Files.createDirectories(folder.resolve("b/c")).resolve("deep.dcm"), new byte[7]);
        Files.write(folder.resolve("a.dcm"), new byte[3]);
        Files.write(folder.resolve("z.dcm"), new byte[0]);
        // a download's temporary: never uploaded
        Files.write(folder.resolve(".a.dcm.0123abcd.part"), new byte[5]);
        // a link to a file counts (as a file), a link to a folder is not walked into
        Path outside = Files.write(tmp.resolve("outside.dcm"), new byte[11]);
        Files.createSymbolicLink(folder.resolve("linked.dcm"), outside);
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.write(other.resolve("hidden.dcm"), new byte[13]);
        Files.createSymbolicLink(folder.resolve("linked-folder"), other);

        SortedMap<Path, Long> found = Planners.localFiles(folder);

        assertThat(List.copyOf(found.keySet()))
                .containsExactly(
                        folder.resolve("a.dcm"),
                        folder.resolve("b/c/deep.dcm"),
                        folder.resolve("linked.dcm"),
                        folder.resolve("z.dcm"));
        assertThat(found.get(folder.resolve("a.dcm"))).isEqualTo(3L);
        assertThat(found.get(folder.resolve("b/c/deep.dcm"))).isEqualTo(7L);
        assertThat(found.get(folder.resolve("z.dcm"))).isZero();
        // a link's size is its target's, read when needed
        assertThat(found.get(folder.resolve("linked.dcm"))).isEqualTo(-1L);
    }

    @Test
    void aMissingFolderHasNoFiles() throws Exception {
        assertThat(Planners.localFiles(tmp.resolve("none"))).isEmpty();
    }
}
