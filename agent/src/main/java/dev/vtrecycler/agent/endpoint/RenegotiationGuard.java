package dev.vtrecycler.agent.endpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The plain socket under a TLS connection, as JSSE sees it: every call goes to the accepted socket,
 * but what the client sends is read through a watch on the TLS record headers. Once {@link #arm}ed
 * (after a TLS 1.2 handshake), a handshake record from the client can only be a renegotiation, which
 * Go's crypto/tls refuses and so do we: the read fails and the connection is closed. JSSE has no
 * per-socket switch for it ({@code jdk.tls.rejectClientInitiatedRenegotiation} is JVM-wide and
 * belongs to the host). TLS 1.3 has no renegotiation, and its records all look like application data.
 *
 * <p>JSSE reads a layered socket's input through {@link #getInputStream()} of the socket it is given
 * and forwards every other socket call to it, so this is all it needs to stand in.
 */
final class RenegotiationGuard extends Socket {
    private static final int HANDSHAKE_RECORD = 0x16;

    private final Socket raw;
    private final InputStream in;
    private volatile boolean armed;

    RenegotiationGuard(Socket raw) throws IOException {
        this.raw = raw;
        this.in = new RecordWatch(raw.getInputStream());
    }

    /** From now on a handshake record from the client fails the read. */
    void arm() {
        armed = true;
    }

    /**
     * Follows the record layer: a 5-byte header (type, version, length) then the body. Starts one
     * byte into the first header: {@link ServerTls} has read the type byte already. Only this
     * connection's thread reads.
     */
    private final class RecordWatch extends FilterInputStream {
        private int headerPos = 1;
        private int lengthHigh;
        private int bodyLeft;

        RecordWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                watch(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            for (int i = 0; i < n; i++) {
                if (bodyLeft > 0) { // skip a run of body bytes at once
                    int skip = Math.min(bodyLeft, n - i);
                    bodyLeft -= skip;
                    i += skip - 1;
                } else {
                    watch(buf[off + i] & 0xff);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("not expected from JSSE"); // skipped bytes would not be watched
        }

        private void watch(int b) throws IOException {
            if (bodyLeft > 0) {
                bodyLeft--;
                return;
            }
            switch (headerPos) {
                case 0 -> {
                    if (armed && b == HANDSHAKE_RECORD) {
                        throw new SocketException("client-initiated TLS renegotiation refused");
                    }
                }
                case 3 -> lengthHigh = b;
                case 4 -> bodyLeft = (lengthHigh << 8) | b;
                default -> { }
            }
            headerPos = (headerPos + 1) % 5;
        }
    }

    @Override public InputStream getInputStream() { return in; }
    @Override public OutputStream getOutputStream() throws IOException { return raw.getOutputStream(); }
    @Override public synchronized void close() throws IOException { raw.close(); }
    @Override public boolean isClosed() { return raw.isClosed(); }
    @Override public boolean isConnected() { return raw.isConnected(); }
    @Override public boolean isBound() { return raw.isBound(); }
    @Override public void shutdownInput() throws IOException { raw.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { raw.shutdownOutput(); }
    @Override public boolean isInputShutdown() { return raw.isInputShutdown(); }
    @Override public boolean isOutputShutdown() { return raw.isOutputShutdown(); }
    @Override public InetAddress getInetAddress() { return raw.getInetAddress(); }
    @Override public InetAddress getLocalAddress() { return raw.getLocalAddress(); }
    @Override public int getPort() { return raw.getPort(); }
    @Override public int getLocalPort() { return raw.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return raw.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return raw.getLocalSocketAddress(); }
    @Override public void setTcpNoDelay(boolean on) throws SocketException { raw.setTcpNoDelay(on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return raw.getTcpNoDelay(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { raw.setSoLinger(on, linger); }
    @Override public int getSoLinger() throws SocketException { return raw.getSoLinger(); }
    @Override public synchronized void setSoTimeout(int timeout) throws SocketException { raw.setSoTimeout(timeout); }
    @Override public synchronized int getSoTimeout() throws SocketException { return raw.getSoTimeout(); }
    @Override public synchronized void setSendBufferSize(int size) throws SocketException { raw.setSendBufferSize(size); }
    @Override public synchronized int getSendBufferSize() throws SocketException { return raw.getSendBufferSize(); }
    @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { raw.setReceiveBufferSize(size); }
    @Override public synchronized int getReceiveBufferSize() throws SocketException { return raw.getReceiveBufferSize(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { raw.setKeepAlive(on); }
    @Override public boolean getKeepAlive() throws SocketException { return raw.getKeepAlive(); }
    @Override public void setTrafficClass(int tc) throws SocketException { raw.setTrafficClass(tc); }
    @Override public int getTrafficClass() throws SocketException { return raw.getTrafficClass(); }
    @Override public void setReuseAddress(boolean on) throws SocketException { raw.setReuseAddress(on); }
    @Override public boolean getReuseAddress() throws SocketException { return raw.getReuseAddress(); }
    @Override public String toString() { return raw.toString(); }
}
