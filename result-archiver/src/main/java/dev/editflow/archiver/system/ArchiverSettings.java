package dev.editflow.archiver.system;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the archiver fetches and stores outputs.
 *
 * @param media where outputs may be fetched from, and how
 * @param maxBytes the largest output accepted; a bigger one fails the job with {@code
 *     OUTPUT_INVALID}
 * @param partSize the S3 multipart part size, and the memory one archive holds at a time; at least
 *     5 MiB (S3's minimum part size). Outputs that fit in one part are stored with a single PUT
 * @param headerBytes how many leading bytes of an output may be read to find its type and
 *     dimensions (at most {@code partSize})
 * @param redriveAfter a job still {@code ARCHIVING} after this long without a change gets its
 *     {@code EditCompleted} sent again (a lost or parked message); zero turns this off
 * @param sweepInterval how often to look for such jobs
 */
@ConfigurationProperties("editflow.archiver")
record ArchiverSettings(
    @DefaultValue Media media,
    @DefaultValue("100MB") DataSize maxBytes,
    @DefaultValue("8MB") DataSize partSize,
    @DefaultValue("1MB") DataSize headerBytes,
    @DefaultValue("10m") Duration redriveAfter,
    @DefaultValue("1m") Duration sweepInterval) {

  static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

  ArchiverSettings {
    if (partSize.compareTo(MIN_PART_SIZE) < 0) {
      throw new IllegalArgumentException(
          "editflow.archiver.part-size must be at least 5MB (S3's minimum part size), not "
              + partSize);
    }
    if (headerBytes.compareTo(partSize) > 0) {
      headerBytes = partSize;
    }
  }

  /**
   * The media host and how we talk to it.
   *
   * @param allowedHosts hosts outputs may be fetched from: exact names, {@code *.domain} for
   *     subdomains, optionally with {@code :port} (otherwise only the scheme's default port)
   * @param allowHttp also allow plain http; only for a local simulator, never in production
   * @param allowLoopback allow loopback addresses (127.0.0.0/8, ::1); only for tests and the local
   *     stack. Private, link-local and metadata addresses are refused regardless
   * @param allowPrivateNetworks allow private-network addresses (10/8, 172.16/12, 192.168/16,
   *     fc00::/7); only for a simulator inside a container network, never in production
   * @param connectTimeout the longest wait for a TCP connection
   * @param readTimeout the longest wait for any single read
   * @param downloadTimeout the longest a whole download may take
   * @param maxRedirects redirects followed per output, each re-checked against this policy
   */
  record Media(
      @DefaultValue({"v3.fal.media", "v3b.fal.media", "fal.media", "*.fal.media"})
          List<String> allowedHosts,
      @DefaultValue("false") boolean allowHttp,
      @DefaultValue("false") boolean allowLoopback,
      @DefaultValue("false") boolean allowPrivateNetworks,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("30s") Duration readTimeout,
      @DefaultValue("5m") Duration downloadTimeout,
      @DefaultValue("3") int maxRedirects) {}
}
