package io.github.xnatreactive.testkit.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * Zip, tar and tar.gz archives written on the fly (contract section 5.8). STORED zips (the default) come from
 * {@link StoredZip}; deflated zips and tars are written by a worker thread into an output stream that hands 64 KiB
 * chunks to the response only as fast as the client reads them.
 */
public final class Archives {
    private Archives() {}

    /**
     * One archive member: its entry name, the file holding its bytes (or the bytes themselves in {@code data}), size,
     * CRC-32 and modification time. {@code flip} inverts every byte on the way out (an injected fault); the CRC is
     * then that of the inverted bytes.
     */
    public record Entry(String name, Path file, long size, long crc, long lastModified, boolean flip, byte[] data) {
        /** A member whose bytes are in a file. */
        static Entry of(String name, Path file, long size, long crc, long lastModified) {
            return new Entry(name, file, size, crc, lastModified, false, null);
        }

        /** A member whose bytes are given. */
        static Entry inline(String name, byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return new Entry(name, null, data.length, crc.getValue(), System.currentTimeMillis(), false, data);
        }

        /** This member with every byte inverted, and the CRC-32 of the inverted bytes (reads the file once). */
        Entry flipped() throws IOException {
            CRC32 c = new CRC32();
            try (InputStream in = new Entry(name, file, size, 0, lastModified, true, data).open()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    c.update(buf, 0, n);
                }
            }
            return new Entry(name, file, size, c.getValue(), lastModified, true, data);
        }

        /** The member's bytes as they go into the archive (inverted when flipped). */
        InputStream open() throws IOException {
            InputStream in = data != null ? new java.io.ByteArrayInputStream(data) : Files.newInputStream(file);
            if (!flip) {
                return in;
            }
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    return b < 0 ? b : (~b) & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    for (int i = off; i < off + n; i++) {
                        b[i] = (byte) ~b[i];
                    }
                    return n;
                }
            };
        }
    }

    /** The archive of {@code entries}; {@code compression} 0 (the default) stores zip entries uncompressed. */
    public static Flux<ByteBuf> stream(String format, int compression, List<Entry> entries) {
        if (format.equals("zip") && compression == 0) {
            return StoredZip.stream(entries);
        }
        return Flux.create(
                sink -> {
                    DemandOutputStream out = new DemandOutputStream(sink);
                    sink.onRequest(n -> out.wake());
                    sink.onDispose(out::cancel);
                    Schedulers.boundedElastic().schedule(() -> {
                        try {
                            write(format, compression, entries, out);
                            out.flushChunk();
                            sink.complete();
                        } catch (Throwable t) {
                            sink.error(t);
                        }
                    });
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    private static void write(String format, int compression, List<Entry> entries, OutputStream out)
            throws IOException {
        switch (format) {
            case "zip" -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                zip.setLevel(Math.max(1, Math.min(9, compression == 8 ? 6 : compression)));
                for (Entry e : entries) {
                    ZipEntry ze = new ZipEntry(e.name());
                    ze.setMethod(ZipEntry.DEFLATED);
                    ze.setTime(e.lastModified());
                    zip.putNextEntry(ze);
                    try (InputStream in = e.open()) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
                zip.finish();
            }
            case "tar", "tar.gz" -> {
                GZIPOutputStream gz = format.equals("tar.gz") ? new GZIPOutputStream(out, 65536) : null;
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz != null ? gz : out);
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Entry e : entries) {
                    TarArchiveEntry te = new TarArchiveEntry(e.name(), true);
                    te.setSize(e.size());
                    te.setModTime(e.lastModified());
                    tar.putArchiveEntry(te);
                    try (InputStream in = e.open()) {
                        in.transferTo(tar);
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
                if (gz != null) {
                    gz.finish();
                }
            }
            default -> throw new IllegalArgumentException(format);
        }
    }

    /** An output stream that emits 64 KiB chunks into a sink, waiting for downstream demand before each. */
    static final class DemandOutputStream extends OutputStream {
        private final FluxSink<ByteBuf> sink;
        private final byte[] buf = new byte[64 * 1024];
        private int count;
        private volatile boolean cancelled;

        DemandOutputStream(FluxSink<ByteBuf> sink) {
            this.sink = sink;
        }

        synchronized void wake() {
            notifyAll();
        }

        synchronized void cancel() {
            cancelled = true;
            notifyAll();
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                flushChunk();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (count == buf.length) {
                    flushChunk();
                }
                int n = Math.min(len, buf.length - count);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        void flushChunk() throws IOException {
            if (count == 0) {
                return;
            }
            synchronized (this) {
                while (!cancelled && sink.requestedFromDownstream() == 0) {
                    try {
                        wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while streaming an archive");
                    }
                }
            }
            if (cancelled) {
                throw new IOException("The client went away while an archive was being streamed");
            }
            byte[] chunk = new byte[count];
            System.arraycopy(buf, 0, chunk, 0, count);
            count = 0;
            sink.next(Unpooled.wrappedBuffer(chunk));
        }
    }
}
