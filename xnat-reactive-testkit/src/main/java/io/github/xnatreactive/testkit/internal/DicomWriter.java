package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes small, valid DICOM Part 10 files (explicit VR little endian, MR Image Storage): file meta information with
 * its group length, the identifying tags XNAT reads when it imports (patient, study, series, instance), and pixel
 * data of random bytes filling the file to an exact size.
 */
public final class DicomWriter {
    /** MR Image Storage. */
    public static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLEMENTATION = "1.2.826.0.1.3680043.10.1.99";

    private DicomWriter() {}

    /** One instance: who, which study and series, which image. UIDs must be valid (digits and dots). */
    public record Instance(
            String patientName,
            String patientId,
            String studyUid,
            String studyDate,
            String studyDescription,
            String seriesUid,
            int seriesNumber,
            String seriesDescription,
            int instanceNumber) {
        public String sopInstanceUid() {
            return seriesUid + "." + instanceNumber;
        }
    }

    /**
     * Writes an instance of exactly {@code size} bytes (its header is cut short when {@code size} is smaller than
     * the header) and returns the checksums of what it wrote.
     */
    public static Checksums write(Path file, long size, Instance i, SplittableRandom random, byte[] buf) {
        byte[] header = header(i);
        long remaining = size - header.length - 12;
        try {
            Checksums sums = new Checksums();
            try (OutputStream out = sums.wrap(Files.newOutputStream(file))) {
                if (remaining >= 0) {
                    ByteBuffer px = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                    px.putShort((short) 0x7FE0).putShort((short) 0x0010);
                    px.put("OB".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
                    px.putInt((int) Math.min(remaining, 0xFFFFFFFEL));
                    out.write(header);
                    out.write(px.array());
                } else {
                    out.write(header, 0, (int) Math.min(size, header.length));
                    remaining = 0;
                }
                while (remaining > 0) {
                    int n = (int) Math.min(buf.length, remaining);
                    for (int k = 0; k < n; k += 8) {
                        long r = random.nextLong();
                        for (int j = 0; j < 8 && k + j < n; j++) {
                            buf[k + j] = (byte) (r >>> (8 * j));
                        }
                    }
                    out.write(buf, 0, n);
                    remaining -= n;
                }
            }
            return sums;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Preamble, DICM, file meta information and the data set up to the pixel data. */
    static byte[] header(Instance i) {
        ByteBuffer meta = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        meta.putShort((short) 0x0002).putShort((short) 0x0001);
        meta.put("OB".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt(2);
        meta.put((byte) 0).put((byte) 1);
        element(meta, 0x0002, 0x0002, "UI", MR_IMAGE_STORAGE);
        element(meta, 0x0002, 0x0003, "UI", i.sopInstanceUid());
        element(meta, 0x0002, 0x0010, "UI", EXPLICIT_LE);
        element(meta, 0x0002, 0x0012, "UI", IMPLEMENTATION);
        element(meta, 0x0002, 0x0013, "SH", "XNAT_REACTIVE");
        ByteBuffer h = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[128]);
        h.put("DICM".getBytes(StandardCharsets.US_ASCII));
        h.putShort((short) 0x0002).putShort((short) 0x0000);
        h.put("UL".getBytes(StandardCharsets.US_ASCII)).putShort((short) 4).putInt(meta.position());
        h.put(meta.array(), 0, meta.position());
        element(h, 0x0008, 0x0016, "UI", MR_IMAGE_STORAGE);
        element(h, 0x0008, 0x0018, "UI", i.sopInstanceUid());
        element(h, 0x0008, 0x0020, "DA", i.studyDate());
        element(h, 0x0008, 0x0060, "CS", "MR");
        element(h, 0x0008, 0x1030, "LO", i.studyDescription());
        element(h, 0x0008, 0x103E, "LO", i.seriesDescription());
        element(h, 0x0010, 0x0010, "PN", i.patientName());
        element(h, 0x0010, 0x0020, "LO", i.patientId());
        element(h, 0x0020, 0x000D, "UI", i.studyUid());
        element(h, 0x0020, 0x000E, "UI", i.seriesUid());
        element(h, 0x0020, 0x0011, "IS", Integer.toString(i.seriesNumber()));
        element(h, 0x0020, 0x0013, "IS", Integer.toString(i.instanceNumber()));
        byte[] out = new byte[h.position()];
        System.arraycopy(h.array(), 0, out, 0, out.length);
        return out;
    }

    private static void element(ByteBuffer b, int group, int element, String vr, String value) {
        byte[] v = (value == null ? "" : value).getBytes(StandardCharsets.US_ASCII);
        int len = v.length + (v.length % 2);
        b.putShort((short) group).putShort((short) element);
        b.put(vr.getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) len);
        b.put(v);
        if (v.length % 2 == 1) {
            b.put(vr.equals("UI") ? (byte) 0 : (byte) ' ');
        }
    }
}
