package dev.vtrecycler.agent.endpoint;

/** A request the endpoint will not serve; answered with {@link #status} and the connection closed. */
final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Response response() {
        return Response.text(status, getMessage() + "\n").closing();
    }
}
