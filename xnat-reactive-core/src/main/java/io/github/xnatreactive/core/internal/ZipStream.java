package io.github.xnatreactive.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A zip of local files written as a stream while it is sent, with no archive on disk: STORED entries whose size and
 * CRC-32 are in the local header (no data descriptors, which streaming readers such as XNAT's reject for STORED
 * entries). Each file is read twice, once for its CRC-32 and once to send it; both reads run on
 * {@code boundedElastic}, never on an event loop. No zip64: more than 65534 entries or 4 GiB is an
 * {@link IllegalArgumentException}.
 */
public final class ZipStream {
    private static final int LOCAL = 30;
    private static final int CENTRAL = 46;
    private static final int END = 22;
    private static final int CHUNK = 256 * 1024;
    private static final int UTF8 = 0x0800;
    private static final int DOS_DATE = (1 << 5) | 1;
    private static final long MAX32 = 0xFFFFFFFFL;

    private ZipStream() {}

    /** One member: its name in the zip and the file holding its bytes. */
    public record Entry(String name, Path file) {}

    /**
     * The exact length of the zip of these members, for a Content-Length.
     *
     * @param entries the members, with their sizes
     * @param sizes each member's size, in the same order
     * @return the zip's length in bytes
     */
    public static long length(List<Entry> entries, List<Long> sizes) {
        long n = END;
        for (int i = 0; i < entries.size(); i++) {
            int name = entries.get(i).name().getBytes(StandardCharsets.UTF_8).length;
            n += LOCAL + CENTRAL + 2L * name + sizes.get(i);
        }
        if (entries.size() >= 0xFFFF || n >= MAX32) {
            throw new IllegalArgumentException(
                    "Too large for one zip without zip64: " + entries.size() + " files, " + n + " bytes");
        }
        return n;
    }

    /**
     * The zip of the members as they arrive: each member's local header, then its bytes in chunks, then the central
     * directory once the members complete. Subscribed once per send.
     *
     * @param entries the members, in order
     * @return the zip's bytes, heap buffers the consumer releases
     */
    public static Flux<ByteBuf> of(Flux<Entry> entries) {
        return Flux.defer(() -> {
            List<byte[]> central = new ArrayList<>();
            long[] offset = {0};
            return entries.concatMap(e -> member(e, central, offset), 1)
                    .concatWith(Mono.fromSupplier(() -> end(central, offset[0])))
                    .map(Unpooled::wrappedBuffer);
        });
    }

    private static Flux<byte[]> member(Entry e, List<byte[]> central, long[] offset) {
        return Mono.fromCallable(() -> crcAndSize(e.file()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(cs -> {
                    long crc = cs[0];
                    long size = cs[1];
                    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                    if (offset[0] + LOCAL + name.length + size >= MAX32 || central.size() >= 0xFFFE) {
                        return Flux.error(
                                new IllegalArgumentException("Too large for one zip without zip64 at " + e.name()));
                    }
                    ByteBuffer local = ByteBuffer.allocate(LOCAL + name.length).order(ByteOrder.LITTLE_ENDIAN);
                    local.putInt(0x04034b50)
                            .putShort((short) 10)
                            .putShort((short) UTF8)
                            .putShort((short) 0);
                    local.putShort((short) 0).putShort((short) DOS_DATE);
                    local.putInt((int) crc).putInt((int) size).putInt((int) size);
                    local.putShort((short) name.length).putShort((short) 0).put(name);
                    ByteBuffer c = ByteBuffer.allocate(CENTRAL + name.length).order(ByteOrder.LITTLE_ENDIAN);
                    c.putInt(0x02014b50)
                            .putShort((short) 20)
                            .putShort((short) 10)
                            .putShort((short) UTF8);
                    c.putShort((short) 0).putShort((short) 0).putShort((short) DOS_DATE);
                    c.putInt((int) crc).putInt((int) size).putInt((int) size);
                    c.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
                    c.putShort((short) 0)
                            .putShort((short) 0)
                            .putInt(0)
                            .putInt((int) offset[0])
                            .put(name);
                    central.add(c.array());
                    offset[0] += LOCAL + name.length + size;
                    return Flux.concat(Mono.just(local.array()), sized(e.file(), size));
                });
    }

    /** The file's bytes in chunks, read on a worker as they are asked for; a file that changed size fails. */
    private static Flux<byte[]> sized(Path file, long size) {
        long[] seen = {0};
        return Flux.<byte[], InputStream>generate(
                        () -> Files.newInputStream(file),
                        (in, sink) -> {
                            try {
                                byte[] b = in.readNBytes(CHUNK);
                                if (b.length > 0) {
                                    seen[0] += b.length;
                                    if (seen[0] > size) {
                                        sink.error(new IllegalStateException(file + " grew while it was zipped"));
                                    } else {
                                        sink.next(b);
                                    }
                                } else if (seen[0] != size) {
                                    sink.error(new IllegalStateException(file + " shrank while it was zipped"));
                                } else {
                                    sink.complete();
                                }
                            } catch (IOException e) {
                                sink.error(new UncheckedIOException("Cannot read " + file, e));
                            }
                            return in;
                        },
                        in -> {
                            try {
                                in.close();
                            } catch (IOException ignored) {
                                // closing after the last read
                            }
                        })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static long[] crcAndSize(Path file) throws IOException {
        CRC32 crc = new CRC32();
        long n = 0;
        byte[] buf = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                crc.update(buf, 0, r);
                n += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return new long[] {crc.getValue(), n};
    }

    private static byte[] end(List<byte[]> central, long offset) {
        int size = 0;
        for (byte[] c : central) {
            size += c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size + END).order(ByteOrder.LITTLE_ENDIAN);
        central.forEach(b::put);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
        b.putShort((short) central.size()).putShort((short) central.size());
        b.putInt(size).putInt((int) offset).putShort((short) 0);
        return b.array();
    }
}
