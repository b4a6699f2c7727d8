package dev.editflow.archiver.archive;

/** The output grew past the size limit while streaming. */
class OutputTooLarge extends RuntimeException {

  OutputTooLarge(long limit) {
    super("the output is larger than the limit of " + limit + " bytes");
  }
}
