package dev.editflow.archiver.fetch;

/** The media host answered that the file is not there (404, 410, or another final 4xx). */
public class MediaGone extends RuntimeException {

  private final int status;

  public MediaGone(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
