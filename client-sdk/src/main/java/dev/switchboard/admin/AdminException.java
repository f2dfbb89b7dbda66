package dev.switchboard.admin;

import dev.switchboard.client.SwitchboardException;

/**
 * A server API call the node refused or could not carry out: the HTTP {@link #status()} and the error
 * {@link #code()} of its answer ({@code {"error":{"code":…,"message":…}}}; the codes of
 * {@link dev.switchboard.protocol.ErrorCode}, see docs/operations.md, Server API), or {@link #UNEXPECTED_ANSWER} for
 * an answer that is not the server API's (a proxy's error page). A call that got no answer at all (the node
 * unreachable, the request timeout passed) fails with the {@link java.io.IOException} of the HTTP client instead.
 */
public class AdminException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** The answer was not one of the server API's: its status is kept, its body is in the message (shortened). */
  public static final String UNEXPECTED_ANSWER = "unexpected_answer";

  private final int status;

  public AdminException(int status, String code, String message) {
    super(code, message);
    this.status = status;
  }

  /** The HTTP status of the answer: 400, 401 ({@code unauthorized}), 403 ({@code forbidden}), 404, 413, 503... */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return "AdminException[" + status + " " + code() + "]: " + getMessage();
  }
}
