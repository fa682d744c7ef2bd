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
 * client from holding memory: request line plus headers at most {@link #MAX_HEAD_BYTES} (a 100 kB
 * {@code Accept} still passes), a body at most {@link #MAX_BODY_BYTES}. Time is not limited here:
 * the connection's deadline closes the socket under a read that waits too long.
 */
final class RequestReader {
    static final int MAX_HEAD_BYTES = 256 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Pattern REQUEST_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\\S+) HTTP/(\\d)\\.(\\d)");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final InputStream in;

    RequestReader(InputStream in) {
        this.in = in;
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
        String path = path(m.group(2));
        skipBody(headers);
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        return new Request(m.group(1), path, http11 ? "HTTP/1.1" : "HTTP/1.0", Map.copyOf(headers), keepAlive);
    }

    private Map<String, String> headers(int[] budget) throws IOException, BadRequest {
        Map<String, String> headers = new HashMap<>();
        for (String line = line(next(), budget); !line.isEmpty(); line = line(next(), budget)) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "folded header lines are not allowed");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new BadRequest(400, "bad header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            String before = headers.get(name);
            if (before == null) {
                headers.put(name, value);
            } else if (name.equals("content-length") || name.equals("authorization") || name.equals("host")) {
                throw new BadRequest(400, "repeated " + name + " header");
            } else {
                headers.put(name, before + ", " + value);
            }
        }
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

    private String line(int first, int[] budget) throws IOException, BadRequest {
        StringBuilder sb = new StringBuilder(64);
        for (int b = first; b != '\n'; b = next()) {
            if (--budget[0] < 0) {
                throw new BadRequest(431, "request line and headers over " + MAX_HEAD_BYTES + " bytes");
            }
            sb.append((char) b); // ISO-8859-1: bytes map to chars one to one
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
            sb.setLength(end - 1);
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
