package dev.vtrecycler.agent.endpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HTTP/1.x requests (RFC 9112) from a connection, one after another. Limits keep a hostile
 * client from holding memory or CPU: request line plus headers at most {@link #MAX_HEAD_BYTES} (a
 * 100 kB {@code Accept} still passes) in at most {@link #MAX_HEADER_LINES} lines, a body at most
 * {@link #MAX_BODY_BYTES}; the work per byte is constant (repeated headers are appended, never
 * re-joined). Time is not limited here: the connection's deadline closes the socket under a read
 * that waits too long.
 */
final class RequestReader {
    static final int MAX_HEAD_BYTES = 256 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Prometheus sends 4 or 5 header lines, curl 3; browsers about 15. */
    static final int MAX_HEADER_LINES = 100;

    private static final Pattern REQUEST_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\\S+) HTTP/(\\d)\\.(\\d)");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final InputStream in;
    private final ConnectionHooks hooks;

    RequestReader(InputStream in) {
        this(in, ConnectionHooks.NONE);
    }

    /** {@code hooks}: the connection, stamped on every request for its route. */
    RequestReader(InputStream in, ConnectionHooks hooks) {
        this.in = in;
        this.hooks = hooks;
    }

    /**
     * The next request, or null when the client closed the connection between requests.
     * {@code onFirstByte} runs once the request's first byte is in (the connection then switches
     * from its idle timeout to the request deadline).
     */
    Request read(Runnable onFirstByte) throws IOException, BadRequest {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        onFirstByte.run();
        int[] budget = {MAX_HEAD_BYTES};
        String line = line(first, budget);
        while (line.isEmpty()) { // RFC 9112 2.2: ignore empty lines before a request line
            line = line(next(), budget);
        }
        Matcher m = REQUEST_LINE.matcher(line);
        if (!m.matches()) {
            throw new BadRequest(400, "bad request line");
        }
        if (!m.group(3).equals("1")) {
            throw new BadRequest(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        boolean http11 = !m.group(4).equals("0");
        Map<String, String> headers = headers(budget);
        if (http11 && !headers.containsKey("host")) {
            throw new BadRequest(400, "missing Host header"); // RFC 9112 3.2: a server MUST answer 400
        }
        String path = path(m.group(2));
        skipBody(headers);
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        return new Request(m.group(1), path, http11 ? "HTTP/1.1" : "HTTP/1.0", Map.copyOf(headers), keepAlive, hooks);
    }

    private Map<String, String> headers(int[] budget) throws IOException, BadRequest {
        Map<String, StringBuilder> joined = new HashMap<>();
        int lines = 0;
        for (String line = line(next(), budget); !line.isEmpty(); line = line(next(), budget)) {
            if (++lines > MAX_HEADER_LINES) {
                throw new BadRequest(431, "more than " + MAX_HEADER_LINES + " header lines");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "folded header lines are not allowed");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new BadRequest(400, "bad header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            StringBuilder before = joined.get(name);
            if (before == null) {
                joined.put(name, new StringBuilder(value));
            } else if (name.equals("content-length") || name.equals("authorization") || name.equals("host")) {
                throw new BadRequest(400, "repeated " + name + " header");
            } else {
                before.append(", ").append(value); // appended: a repeated line costs its own length only
            }
        }
        Map<String, String> headers = new HashMap<>();
        joined.forEach((name, value) -> headers.put(name, value.toString()));
        return headers;
    }

    /** Origin form ({@code /metrics?x}) or absolute form ({@code http://host/metrics}); percent-decoded. */
    static String path(String target) throws BadRequest {
        try {
            String path = new URI(target).getPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (URISyntaxException e) {
            throw new BadRequest(400, "bad request target");
        }
    }

    private void skipBody(Map<String, String> headers) throws IOException, BadRequest {
        if (headers.containsKey("transfer-encoding")) {
            throw new BadRequest(501, "request bodies with Transfer-Encoding are not supported");
        }
        String length = headers.get("content-length");
        if (length == null) {
            return;
        }
        if (!length.matches("\\d{1,18}")) {
            throw new BadRequest(400, "bad Content-Length");
        }
        long n = Long.parseLong(length);
        if (n > MAX_BODY_BYTES) {
            throw new BadRequest(413, "request body too large");
        }
        in.skipNBytes(n);
    }

    /**
     * One line without its end (CRLF, or a bare LF, which RFC 9112 2.2 lets a server accept). A CR
     * anywhere else, or a NUL, is a 400 (RFC 9110 5.5: a recipient of a bare CR must reject the
     * message or replace it; rejecting leaves no room for smuggling).
     */
    private String line(int first, int[] budget) throws IOException, BadRequest {
        StringBuilder sb = new StringBuilder(64);
        boolean cr = false;
        for (int b = first; b != '\n'; b = next()) {
            if (--budget[0] < 0) {
                throw new BadRequest(431, "request line and headers over " + MAX_HEAD_BYTES + " bytes");
            }
            if (cr || b == 0) {
                throw new BadRequest(400, cr ? "bare CR in the request head" : "NUL in the request head");
            }
            if (b == '\r') {
                cr = true; // only the line end may follow
            } else {
                sb.append((char) b); // ISO-8859-1: bytes map to chars one to one
            }
        }
        return sb.toString();
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed in the middle of a request");
        }
        return b;
    }

    private static boolean hasToken(String list, String token) {
        for (String part : list.split(",")) {
            if (part.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }
}
