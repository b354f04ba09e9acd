package io.github.xnatreactive.bulk.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a zip of STORED entries as a stream whose exact length is known before the first byte (so that it can be
 * sent with a Content-Length): sizes and CRC-32 go in each local header, with no data descriptors, which any
 * streaming reader (XNAT's included) accepts. No zip64: {@link #fits} tells whether a set of entries can be written.
 */
final class ZipWriter {
    private static final int LOCAL = 30;
    private static final int CENTRAL = 46;
    private static final int END = 22;
    private static final int CHUNK = 256 * 1024;
    /** UTF-8 names. */
    private static final int FLAGS = 0x0800;
    /** 1980-01-01 00:00 in DOS form: entries carry no meaningful time. */
    private static final int DOS_DATE = (1 << 5) | 1;

    private ZipWriter() {}

    /**
     * An entry: its name, size, CRC-32 (for files) and the local file that holds it (null for loaded entries), or
     * the file's bytes as its check read them (then sent from memory, not read again; {@code size} is their length).
     */
    record Entry(String name, long size, long crc, Path file, byte[] data) {
        Entry(String name, long size, long crc, Path file) {
            this(name, size, crc, file, null);
        }
    }

    /** An entry read whole, with the CRC-32 of its bytes. */
    record Loaded(String name, byte[] data, long crc) {
        /** An entry whose CRC-32 is not known yet: computed from {@code data}. */
        Loaded(String name, byte[] data) {
            this(name, data, crc(data));
        }

        private static long crc(byte[] data) {
            CRC32 crc = new CRC32();
            crc.update(data);
            return crc.getValue();
        }
    }

    /** Supplies loaded entries one by one; null at the end. Blocking: it runs on a worker thread. */
    interface Source {
        Loaded next() throws IOException;
    }

    static boolean fits(List<Entry> entries) {
        return entries.size() < 0xFFFF && length(entries) < 0xFFFFFFFFL;
    }

    /** The exact length of the zip of these entries. */
    static long length(List<Entry> entries) {
        long n = END;
        for (Entry e : entries) {
            int name = e.name().getBytes(StandardCharsets.UTF_8).length;
            n += LOCAL + name + e.size() + CENTRAL + name;
        }
        return n;
    }

    /**
     * The zip of local files (their CRC-32 computed beforehand) in pooled direct buffers of up to 256 KiB, read on a
     * worker as the consumer asks: headers and small files share a buffer, file bytes go from the page cache into the
     * buffer that goes to the socket (no heap copy); an entry that came with its bytes is copied from them, the file
     * not read again. A file whose size changed since it was checked fails the stream. The consumer releases each
     * buffer.
     */
    static Flux<ByteBuf> fromFiles(List<Entry> entries) {
        return Flux.<ByteBuf, Packer>generate(
                        () -> new Packer(entries),
                        (st, sink) -> {
                            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(CHUNK, CHUNK);
                            try {
                                st.fill(buf);
                            } catch (IOException | RuntimeException e) {
                                buf.release();
                                sink.error(e);
                                return st;
                            }
                            sink.next(buf);
                            if (st.done) {
                                sink.complete();
                            }
                            return st;
                        },
                        Packer::close)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Where the writing of local files is: entry by entry, header then the file's bytes, packed into buffers. */
    private static final class Packer extends Directory {
        final List<Entry> files;
        int index;
        /** The bytes of the entry being written when it came with them, else null. */
        byte[] data;

        FileChannel channel;
        long position;
        long remaining;
        ByteBuffer directory;
        boolean done;

        Packer(List<Entry> files) {
            this.files = files;
        }

        void fill(ByteBuf buf) throws IOException {
            while (buf.isWritable() && !done) {
                if (data != null) {
                    int n = (int) Math.min(remaining, buf.writableBytes());
                    buf.writeBytes(data, (int) position, n);
                    position += n;
                    remaining -= n;
                    if (remaining == 0) {
                        data = null;
                        index++;
                    }
                } else if (channel != null) {
                    int n = (int) Math.min(remaining, buf.writableBytes());
                    int got = buf.writeBytes(channel, position, n);
                    if (got < 0) {
                        throw new IOException(files.get(index).file() + " changed since it was checked (shorter)");
                    }
                    position += got;
                    remaining -= got;
                    if (remaining == 0) {
                        boolean longer = channel.size() != position;
                        closeChannel();
                        if (longer) {
                            throw new IOException(files.get(index).file() + " changed since it was checked (longer)");
                        }
                        index++;
                    }
                } else if (index < files.size()) {
                    Entry e = files.get(index);
                    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                    if (buf.writableBytes() < LOCAL + name.length) {
                        return; // the next buffer starts with this header
                    }
                    ByteBuffer b = ByteBuffer.allocate(LOCAL + name.length);
                    local(b, name, e.size(), e.crc());
                    buf.writeBytes(b.flip());
                    if (e.size() > 0 && e.data() != null) {
                        data = e.data();
                        position = 0;
                        remaining = e.size();
                    } else if (e.size() > 0) {
                        channel = FileChannel.open(e.file(), StandardOpenOption.READ);
                        position = 0;
                        remaining = e.size();
                    } else {
                        index++;
                    }
                } else {
                    // the central directory, built once, goes out across as many buffers as it needs
                    if (directory == null) {
                        directory = central();
                    }
                    ByteBuffer part = directory.slice();
                    part.limit(Math.min(part.remaining(), buf.writableBytes()));
                    directory.position(directory.position() + part.remaining());
                    buf.writeBytes(part);
                    done = !directory.hasRemaining();
                }
            }
        }

        void closeChannel() throws IOException {
            FileChannel c = channel;
            channel = null;
            if (c != null) {
                c.close();
            }
        }

        void close() {
            try {
                closeChannel();
            } catch (IOException e) {
                // a file opened for reading only: nothing written can be lost, but say so
                org.slf4j.LoggerFactory.getLogger(ZipWriter.class)
                        .warn("could not close {}", files.get(index).file(), e);
            }
        }
    }

    /** The zip of {@code count} entries read one by one from {@code source}, each sent as soon as it is read. */
    static Flux<ByteBuffer> fromEntries(Source source, int count) {
        return Flux.<ByteBuffer, Directory>generate(Directory::new, (dir, sink) -> {
                    try {
                        Loaded l = dir.finished ? null : source.next();
                        if (l != null) {
                            byte[] name = l.name().getBytes(StandardCharsets.UTF_8);
                            ByteBuffer b = ByteBuffer.allocate(LOCAL + name.length + l.data().length);
                            dir.local(b, name, l.data().length, l.crc());
                            b.put(l.data());
                            sink.next(b.flip());
                        } else {
                            if (dir.entries.size() != count) {
                                throw new IOException(
                                        "The archive has " + dir.entries.size() + " entries, not " + count);
                            }
                            sink.next(dir.central());
                            sink.complete();
                        }
                    } catch (IOException | RuntimeException e) {
                        sink.error(e);
                    }
                    return dir;
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The central directory being gathered while local entries are written. */
    private static class Directory {
        record Written(byte[] name, long size, long crc, long offset) {}

        final List<Written> entries = new ArrayList<>();
        long offset;
        boolean finished;

        void local(ByteBuffer b, byte[] name, long size, long crc) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0x04034b50).putShort((short) 20).putShort((short) FLAGS).putShort((short) 0);
            b.putShort((short) 0).putShort((short) DOS_DATE);
            b.putInt((int) crc).putInt((int) size).putInt((int) size);
            b.putShort((short) name.length).putShort((short) 0).put(name);
            entries.add(new Written(name, size, crc, offset));
            offset += LOCAL + name.length + size;
        }

        ByteBuffer central() {
            finished = true;
            int len = END;
            for (Written w : entries) {
                len += CENTRAL + w.name.length;
            }
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            for (Written w : entries) {
                b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) FLAGS);
                b.putShort((short) 0).putShort((short) 0).putShort((short) DOS_DATE);
                b.putInt((int) w.crc).putInt((int) w.size).putInt((int) w.size);
                b.putShort((short) w.name.length).putShort((short) 0).putShort((short) 0);
                b.putShort((short) 0)
                        .putShort((short) 0)
                        .putInt(0)
                        .putInt((int) w.offset)
                        .put(w.name);
            }
            b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
            b.putShort((short) entries.size()).putShort((short) entries.size());
            b.putInt(len - END).putInt((int) offset).putShort((short) 0);
            return b.flip();
        }
    }
}
