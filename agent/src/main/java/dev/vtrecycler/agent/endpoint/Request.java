package dev.vtrecycler.agent.endpoint;

import java.util.Map;

/**
 * One parsed HTTP/1.x request; header names are lower case, repeated headers joined with ", ".
 * The body, if any, has been read and dropped: no route of the endpoint takes one. {@code hooks}
 * reach the connection it came on (see {@link ConnectionHooks}).
 */
record Request(String method, String path, String version, Map<String, String> headers, boolean keepAlive,
               ConnectionHooks hooks) {

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    boolean head() {
        return method.equals("HEAD");
    }
}
