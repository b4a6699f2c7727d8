package dev.editflow.archiver.fetch;

import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.PinnedHttp;
import dev.editflow.safehttp.UrlNotAllowed;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads outputs from fal's media host safely: each hop goes through {@link PinnedHttp} (URL
 * checked against the policy, host resolved once, every address checked, connection pinned to a
 * checked address), and redirects are followed by hand, each target checked like the first URL.
 */
public final class MediaFetcher {

  private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Map<String, String> HEADERS =
      Map.of(
          "User-Agent", "editflow-result-archiver",
          "Accept", "image/png, image/jpeg, image/webp, */*;q=0.1",
          "Accept-Encoding", "identity");

  private final PinnedHttp http;
  private final Duration downloadTimeout;
  private final int maxRedirects;

  /**
   * @param downloadTimeout the longest a whole download may take
   * @param maxRedirects redirects followed per download
   */
  public MediaFetcher(PinnedHttp http, Duration downloadTimeout, int maxRedirects) {
    this.http = http;
    this.downloadTimeout = downloadTimeout;
    this.maxRedirects = maxRedirects;
  }

  /**
   * Opens {@code url} for reading; the caller closes the download.
   *
   * @throws UrlNotAllowed if policy forbids the URL, a redirect target or a resolved address
   * @throws MediaGone if the host says the file is not there (404, 410, other final 4xx)
   * @throws MediaUnreachable if the host cannot be reached or fails in a way that may pass
   */
  public Download open(String url) {
    OutboundPolicy.CheckedUrl current = http.policy().check(url);
    for (int hop = 0; ; hop++) {
      PinnedHttp.Response response = get(current);
      int status = response.status();
      if (REDIRECTS.contains(status)) {
        String location = response.header("location");
        response.close();
        if (hop >= maxRedirects) {
          throw new UrlNotAllowed("more than " + maxRedirects + " redirects");
        }
        if (location == null || location.isBlank()) {
          throw new UrlNotAllowed("redirect " + status + " without a Location");
        }
        URI next;
        try {
          next = current.uri().resolve(new URI(location.trim()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          throw new UrlNotAllowed("redirect to an invalid URL: " + e.getMessage());
        }
        LOG.debug("Media host redirected {} to {}.", current.uri(), next);
        current = http.policy().check(next);
        continue;
      }
      if (status == 200) {
        return new Download(response, current.uri(), downloadTimeout);
      }
      response.close();
      if (status == 408 || status == 425 || status == 429 || status >= 500) {
        throw new MediaUnreachable("media host answered " + status);
      }
      throw new MediaGone(status, "media host answered " + status);
    }
  }

  private PinnedHttp.Response get(OutboundPolicy.CheckedUrl url) {
    try {
      return http.get(url, HEADERS);
    } catch (IOException e) {
      throw new MediaUnreachable("cannot fetch from " + url.host() + ": " + e, e);
    }
  }
}
