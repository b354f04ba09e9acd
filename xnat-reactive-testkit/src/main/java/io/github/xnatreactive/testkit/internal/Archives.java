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
 * Zip, tar and tar.gz archives written on the fly (contract section 5.8): a worker thread writes the archive into
 * an output stream that hands 64 KiB chunks to the response only as fast as the client reads them.
 */
public final class Archives {
    private Archives() {}

    /** One archive member: its entry name and the file holding its bytes. */
    public record Entry(String name, Path file) {}

    public static Flux<ByteBuf> stream(String format, int compression, List<Entry> entries) {
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
                for (Entry e : entries) {
                    ZipEntry ze = new ZipEntry(e.name());
                    if (compression == 0) {
                        ze.setMethod(ZipEntry.STORED);
                        long size = Files.size(e.file());
                        ze.setSize(size);
                        ze.setCompressedSize(size);
                        ze.setCrc(crc(e.file()));
                    } else {
                        ze.setMethod(ZipEntry.DEFLATED);
                        zip.setLevel(Math.max(1, Math.min(9, compression == 8 ? 6 : compression)));
                    }
                    zip.putNextEntry(ze);
                    Files.copy(e.file(), zip);
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
                    TarArchiveEntry te = new TarArchiveEntry(e.name());
                    te.setSize(Files.size(e.file()));
                    te.setModTime(Files.getLastModifiedTime(e.file()));
                    tar.putArchiveEntry(te);
                    Files.copy(e.file(), tar);
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

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
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
