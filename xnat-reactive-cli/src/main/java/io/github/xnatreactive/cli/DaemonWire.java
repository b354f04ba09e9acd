package io.github.xnatreactive.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames the CLI's thin client and its daemon exchange over a Unix-domain socket: a type byte, a length, the
 * body. Only {@code java.*} here, so that the client's JVM loads little. The client sends a {@link #REQUEST} (or
 * {@link #STATUS} or {@link #STOP}); then the daemon sends output and questions and, last, the exit code, while the
 * client sends answers and, on Ctrl-C or SIGTERM, {@link #INTERRUPT}.
 */
final class DaemonWire implements AutoCloseable {
    static final int PROTOCOL = 1;

    // client -> daemon
    static final byte REQUEST = 'R';
    static final byte ANSWER = 'A';
    static final byte INTERRUPT = 'I';
    static final byte STATUS = 'Q';
    static final byte STOP = 'S';
    // daemon -> client
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte ASK_SECRET = 'P';
    static final byte ASK_LINE = 'L';
    static final byte EXIT = 'X';
    /** The daemon does not run this command (or is stopping): the client's caller runs it in a JVM of its own. */
    static final byte LOCAL = 'D';

    static final byte TEXT = 'T';

    /** The client's exit code when it reached no daemon, or the daemon sent {@link #LOCAL}: nothing was run. */
    static final int NOT_HERE = 111;

    private static final int MAX_FRAME = 16 << 20;

    record Frame(byte type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What a command needs from the client's process: its arguments, directory, environment and terminal. */
    record Request(List<String> args, String cwd, Map<String, String> env, boolean terminal) {
        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream d = new DataOutputStream(bytes)) {
                d.writeInt(PROTOCOL);
                d.writeInt(args.size());
                for (String a : args) {
                    string(d, a);
                }
                string(d, cwd);
                d.writeInt(env.size());
                for (Map.Entry<String, String> e : env.entrySet()) {
                    string(d, e.getKey());
                    string(d, e.getValue());
                }
                d.writeBoolean(terminal);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Request decode(byte[] body) throws IOException {
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(body));
            int protocol = d.readInt();
            if (protocol != PROTOCOL) {
                throw new IOException("protocol " + protocol + " (this daemon speaks " + PROTOCOL + ")");
            }
            int n = d.readInt();
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(string(d));
            }
            String cwd = string(d);
            int m = d.readInt();
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) {
                env.put(string(d), string(d));
            }
            return new Request(args, cwd, env, d.readBoolean());
        }

        /** Never the environment: it holds secrets (XNAT_PASS). */
        @Override
        public String toString() {
            return "Request[" + args.size() + " arguments, cwd " + cwd + ", " + env.size() + " variables]";
        }
    }

    private final SocketChannel channel;
    private final DataInputStream in;

    DaemonWire(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(input(channel), 1 << 16));
    }

    /** Sends one frame; safe from several threads. */
    synchronized void send(byte type, byte[] body, int off, int len) throws IOException {
        byte[] head = new byte[5];
        head[0] = type;
        head[1] = (byte) (len >>> 24);
        head[2] = (byte) (len >>> 16);
        head[3] = (byte) (len >>> 8);
        head[4] = (byte) len;
        ByteBuffer[] both = {ByteBuffer.wrap(head), ByteBuffer.wrap(body, off, len)};
        while (both[0].hasRemaining() || both[1].hasRemaining()) {
            channel.write(both); // one system call for the frame, as a rule
        }
    }

    void send(byte type, byte[] body) throws IOException {
        send(type, body, 0, body.length);
    }

    void send(byte type, String text) throws IOException {
        send(type, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendInt(byte type, int value) throws IOException {
        send(type, intBytes(value));
    }

    /** The body of a frame that carries one number (the exit code), as {@link #intOf} reads it. */
    static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static int intOf(Frame f) {
        byte[] b = f.body();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** The next frame; {@link EOFException} when the other side has gone. Read from one thread only. */
    Frame read() throws IOException {
        byte type = in.readByte();
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("a frame of " + len + " bytes");
        }
        byte[] body = new byte[len];
        in.readFully(body);
        return new Frame(type, body);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static String string(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("a string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // Not Channels.newInputStream: on Java 17 its stream holds the channel's blocking lock while a
    // read blocks, so that a write from another thread would wait for the next frame to arrive.
    private static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = ch.read(ByteBuffer.wrap(b, off, len));
                if (n == 0) {
                    throw new EOFException("no bytes from a blocking channel");
                }
                return n;
            }
        };
    }
}
