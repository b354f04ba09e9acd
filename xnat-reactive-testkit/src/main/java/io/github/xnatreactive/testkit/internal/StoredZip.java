package io.github.xnatreactive.testkit.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

/**
 * A zip archive of STORED entries (XNAT's default: no compression) written as a stream of large direct buffers: the
 * CRC-32 and sizes of every entry are known from the catalog, so they go in the local header (no data descriptor,
 * which {@link java.util.zip.ZipInputStream} cannot read for STORED entries) and each file is read once, straight
 * from its channel into the buffer that goes to the socket. Small files share a buffer. Zip64 records are added when
 * sizes, offsets or the entry count need them.
 */
final class StoredZip {
    /** Bytes per emitted buffer. */
    static final int CHUNK = 256 * 1024;
    /** Buffers requested ahead of the socket: bounds the memory of one download. */
    private static final int AHEAD = 4;

    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int MAX16 = 0xFFFF;
    private static final int UTF8_FLAG = 0x0800;

    private StoredZip() {}

    /** The archive of these entries, produced on a worker thread as the client reads it. */
    static Flux<ByteBuf> stream(List<Archives.Entry> entries) {
        return Flux.<ByteBuf, Writer>generate(() -> new Writer(entries), Writer::next, Writer::close)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .subscribeOn(Schedulers.boundedElastic())
                .limitRate(AHEAD);
    }

    /** What the central directory needs of one written entry. */
    private record Written(byte[] name, long crc, long size, long offset, int time, int date) {}

    private static final class Writer {
        private final List<Archives.Entry> entries;
        private final List<Written> written = new ArrayList<>();
        private int index;
        /** The entry being written: its header went out, {@code remaining} bytes of data have not. */
        private Archives.Entry current;

        private FileChannel channel;
        private long position;
        private long remaining;
        private long offset;
        private int centralIndex;
        private long centralStart = -1;
        private boolean done;

        Writer(List<Archives.Entry> entries) {
            this.entries = entries;
        }

        Writer next(SynchronousSink<ByteBuf> sink) {
            if (done) {
                sink.complete();
                return this;
            }
            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(CHUNK, CHUNK);
            try {
                fill(buf);
            } catch (IOException | RuntimeException e) {
                buf.release();
                sink.error(e);
                return this;
            }
            sink.next(buf);
            return this;
        }

        private void fill(ByteBuf buf) throws IOException {
            while (buf.isWritable() && !done) {
                if (current != null) {
                    data(buf);
                } else if (index < entries.size()) {
                    if (!header(buf, entries.get(index))) {
                        return;
                    }
                } else if (!central(buf)) {
                    return;
                }
            }
        }

        /** Writes the local header of {@code e} if it fits; false when the buffer must go first. */
        private boolean header(ByteBuf buf, Archives.Entry e) throws IOException {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            long size = e.size();
            boolean zip64 = size >= MAX32;
            int len = 30 + name.length + (zip64 ? 20 : 0);
            if (buf.writableBytes() < len) {
                if (buf.writerIndex() == 0) {
                    throw new IOException("zip entry name too long: " + e.name());
                }
                return false;
            }
            long crc = e.crc();
            int[] dos = dos(e.lastModified());
            buf.writeIntLE(0x04034b50);
            buf.writeShortLE(zip64 ? 45 : 10);
            buf.writeShortLE(UTF8_FLAG);
            buf.writeShortLE(0);
            buf.writeShortLE(dos[0]);
            buf.writeShortLE(dos[1]);
            buf.writeIntLE((int) crc);
            buf.writeIntLE((int) (zip64 ? MAX32 : size));
            buf.writeIntLE((int) (zip64 ? MAX32 : size));
            buf.writeShortLE(name.length);
            buf.writeShortLE(zip64 ? 20 : 0);
            buf.writeBytes(name);
            if (zip64) {
                buf.writeShortLE(0x0001);
                buf.writeShortLE(16);
                buf.writeLongLE(size);
                buf.writeLongLE(size);
            }
            written.add(new Written(name, crc, size, offset, dos[0], dos[1]));
            offset += len;
            current = e;
            remaining = size;
            position = 0;
            if (e.data() == null && size > 0) {
                channel = FileChannel.open(e.file(), StandardOpenOption.READ);
            }
            return true;
        }

        private void data(ByteBuf buf) throws IOException {
            int n = (int) Math.min(remaining, buf.writableBytes());
            int start = buf.writerIndex();
            if (current.data() != null) {
                buf.writeBytes(current.data(), (int) position, n);
            } else {
                int got = 0;
                while (got < n) {
                    int r = buf.writeBytes(channel, position + got, n - got);
                    if (r < 0) {
                        throw new IOException("File shorter than its catalog entry: " + current.file());
                    }
                    got += r;
                }
            }
            if (current.flip()) {
                for (int i = start; i < start + n; i++) {
                    buf.setByte(i, ~buf.getByte(i));
                }
            }
            position += n;
            remaining -= n;
            offset += n;
            if (remaining == 0) {
                closeChannel();
                current = null;
                index++;
            }
        }

        /** Writes central directory records, then the end records; false when the buffer must go first. */
        private boolean central(ByteBuf buf) {
            if (centralStart < 0) {
                centralStart = offset;
            }
            while (centralIndex < written.size()) {
                Written w = written.get(centralIndex);
                boolean bigSize = w.size() >= MAX32;
                boolean bigOffset = w.offset() >= MAX32;
                int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
                int extraLen = extra == 0 ? 0 : 4 + extra;
                int len = 46 + w.name().length + extraLen;
                if (buf.writableBytes() < len) {
                    return false;
                }
                buf.writeIntLE(0x02014b50);
                buf.writeShortLE(extra == 0 ? 20 : 45);
                buf.writeShortLE(extra == 0 ? 10 : 45);
                buf.writeShortLE(UTF8_FLAG);
                buf.writeShortLE(0);
                buf.writeShortLE(w.time());
                buf.writeShortLE(w.date());
                buf.writeIntLE((int) w.crc());
                buf.writeIntLE((int) (bigSize ? MAX32 : w.size()));
                buf.writeIntLE((int) (bigSize ? MAX32 : w.size()));
                buf.writeShortLE(w.name().length);
                buf.writeShortLE(extraLen);
                buf.writeShortLE(0);
                buf.writeShortLE(0);
                buf.writeShortLE(0);
                buf.writeIntLE(0);
                buf.writeIntLE((int) (bigOffset ? MAX32 : w.offset()));
                buf.writeBytes(w.name());
                if (extra > 0) {
                    buf.writeShortLE(0x0001);
                    buf.writeShortLE(extra);
                    if (bigSize) {
                        buf.writeLongLE(w.size());
                        buf.writeLongLE(w.size());
                    }
                    if (bigOffset) {
                        buf.writeLongLE(w.offset());
                    }
                }
                offset += len;
                centralIndex++;
            }
            long count = written.size();
            long cdSize = offset - centralStart;
            boolean zip64 = count >= MAX16 || cdSize >= MAX32 || centralStart >= MAX32;
            int len = 22 + (zip64 ? 56 + 20 : 0);
            if (buf.writableBytes() < len) {
                return false;
            }
            if (zip64) {
                long eocd64 = offset;
                buf.writeIntLE(0x06064b50);
                buf.writeLongLE(44);
                buf.writeShortLE(45);
                buf.writeShortLE(45);
                buf.writeIntLE(0);
                buf.writeIntLE(0);
                buf.writeLongLE(count);
                buf.writeLongLE(count);
                buf.writeLongLE(cdSize);
                buf.writeLongLE(centralStart);
                buf.writeIntLE(0x07064b50);
                buf.writeIntLE(0);
                buf.writeLongLE(eocd64);
                buf.writeIntLE(1);
            }
            buf.writeIntLE(0x06054b50);
            buf.writeShortLE(0);
            buf.writeShortLE(0);
            buf.writeShortLE((int) Math.min(count, MAX16));
            buf.writeShortLE((int) Math.min(count, MAX16));
            buf.writeIntLE((int) Math.min(cdSize, MAX32));
            buf.writeIntLE((int) Math.min(centralStart, MAX32));
            buf.writeShortLE(0);
            offset += len;
            done = true;
            return true;
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    channel = null;
                }
            }
        }

        void close() {
            closeChannel();
        }
    }

    /** MS-DOS time and date (local time, two-second resolution, 1980 at the earliest). */
    static int[] dos(long millis) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
        if (t.getYear() < 1980) {
            return new int[] {0, (1 << 5) | 1};
        }
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() >> 1);
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        return new int[] {time, date};
    }
}
