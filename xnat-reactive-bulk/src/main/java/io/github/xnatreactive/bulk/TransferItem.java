package io.github.xnatreactive.bulk;

/**
 * One file of a transfer: where it comes from and goes to (a local path, or a server path such as
 * {@code /data/projects/P/subjects/S/experiments/E/scans/1/resources/DICOM/files/1.dcm}), its expected size and
 * MD5 digest (empty when unknown).
 *
 * @param source where the bytes come from: a local path or a server path
 * @param target where they go: a local path or a server path
 * @param size the expected size in bytes, or -1 when unknown
 * @param digest the expected MD5 digest in hex, or "" when unknown
 */
public record TransferItem(String source, String target, long size, String digest) {
    @Override
    public String toString() {
        return source + " -> " + target;
    }
}
