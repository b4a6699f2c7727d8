package dev.editflow.gateway.system;

import java.io.IOException;

/** The request body went past {@code editflow.gateway.max-request-body}; reading stopped there. */
class BodyTooLarge extends IOException {

  BodyTooLarge(long limit) {
    super("The request body is larger than " + limit + " bytes");
  }
}
