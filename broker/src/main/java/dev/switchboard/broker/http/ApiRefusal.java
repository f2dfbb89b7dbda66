package dev.switchboard.broker.http;

import dev.switchboard.protocol.ErrorCode;

/**
 * A server API request refused with an error code and a message for the caller (the HTTP status follows from the
 * code, {@link HttpReplies#status}). Thrown, or carried by a failed future, up to {@link ApiReplies#answer}; it has no
 * stack trace: it is an answer, not a failure of the node.
 */
final class ApiRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final ErrorCode code;

  ApiRefusal(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A field of the request that is missing or wrong: {@code invalid_field}, naming it. */
  static ApiRefusal field(String name, String problem) {
    return new ApiRefusal(ErrorCode.INVALID_FIELD, name + " " + problem);
  }
}
