package dev.vtrecycler.agent.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the endpoint's configuration files (web config, certificates, keys) with a size cap: each
 * is a few kilobytes, and {@code web-config=/dev/zero} or a mistyped path to a log file must give
 * one clear line, not an {@code OutOfMemoryError} in the host.
 */
final class BoundedFile {
    static final int MAX_BYTES = 1024 * 1024;

    /** The file's text; an IOException saying so when it is over {@link #MAX_BYTES}. */
    static String read(Path file, Charset charset) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES / 1024 + " KiB; is this the right file?");
        }
        return new String(bytes, charset);
    }

    private BoundedFile() {}
}
