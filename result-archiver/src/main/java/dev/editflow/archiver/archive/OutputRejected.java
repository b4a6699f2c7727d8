package dev.editflow.archiver.archive;

import dev.editflow.model.ErrorCode;

/** An output can never be archived (gone, not allowed, not an image); the job fails with code. */
class OutputRejected extends RuntimeException {

  private final ErrorCode code;

  OutputRejected(ErrorCode code, String detail) {
    super(detail);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
