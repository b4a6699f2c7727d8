package dev.editflow.archiver.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to URLs we do not control (fal's media host, clients' webhook receivers) safely. For every
 * hop: check the URL against the {@link MediaPolicy}, resolve the host once, check every resolved
 * address, connect to a checked address (never resolving again), and follow redirects by hand so
 * each target goes through the same checks.
 */
public final class MediaFetcher {

  private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int DRAINED_ANSWER_BYTES = 64 * 1024;

  private final MediaPolicy policy;
  private final HostResolver resolver;
  private final @Nullable SSLContext tls;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration downloadTimeout;
  private final int maxRedirects;

  /**
   * @param tls the TLS context for https, {@literal null} for the JVM's default trust
   * @param readTimeout the longest wait for any single read
   * @param downloadTimeout the longest a whole download may take
   */
  public MediaFetcher(
      MediaPolicy policy,
      HostResolver resolver,
      @Nullable SSLContext tls,
      Duration connectTimeout,
      Duration readTimeout,
      Duration downloadTimeout,
      int maxRedirects) {
    this.policy = policy;
    this.resolver = resolver;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.downloadTimeout = downloadTimeout;
    this.maxRedirects = maxRedirects;
  }

  /**
   * Opens {@code url} for reading; the caller closes the download.
   *
   * @throws MediaNotAllowed if policy forbids the URL, a redirect target or a resolved address
   * @throws MediaGone if the host says the file is not there (404, 410, other final 4xx)
   * @throws MediaUnreachable if the host cannot be reached or fails in a way that may pass
   */
  public Download open(String url) {
    MediaPolicy.CheckedUrl current = policy.check(url);
    for (int hop = 0; ; hop++) {
      PinnedHttp.Response response = request(current);
      int status = response.status();
      if (REDIRECTS.contains(status)) {
        String location = response.header("location");
        response.close();
        if (hop >= maxRedirects) {
          throw new MediaNotAllowed("more than " + maxRedirects + " redirects");
        }
        if (location == null || location.isBlank()) {
          throw new MediaNotAllowed("redirect " + status + " without a Location");
        }
        URI next;
        try {
          next = current.uri().resolve(new URI(location.trim()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          throw new MediaNotAllowed("redirect to an invalid URL: " + e.getMessage());
        }
        LOG.debug("Media host redirected {} to {}.", current.uri(), next);
        current = policy.check(next);
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

  /**
   * POSTs {@code body} to {@code url} once. Redirects are not followed: they would carry the body
   * somewhere the sender never checked, so a redirect is just an unsuccessful answer.
   *
   * @return the HTTP status the receiver answered with
   * @throws MediaNotAllowed if policy forbids the URL or a resolved address
   * @throws MediaUnreachable if the receiver cannot be reached or does not answer in time
   */
  public int post(String url, Map<String, String> headers, byte[] body) {
    MediaPolicy.CheckedUrl checked = policy.check(url);
    try (PinnedHttp.Response response =
        connect(
            checked,
            address ->
                PinnedHttp.post(
                    checked, address, tls, connectTimeout, readTimeout, headers, body))) {
      // The answer's body means nothing to us; read a little so the receiver is not cut off.
      response.body().readNBytes(DRAINED_ANSWER_BYTES);
      return response.status();
    } catch (IOException e) {
      throw new MediaUnreachable("no complete answer from " + checked.host() + ": " + e, e);
    }
  }

  private PinnedHttp.Response request(MediaPolicy.CheckedUrl url) {
    return connect(
        url,
        address ->
            PinnedHttp.get(
                url, address, tls, connectTimeout, readTimeout, "editflow-result-archiver"));
  }

  private interface Exchange {
    PinnedHttp.Response with(InetSocketAddress address) throws IOException;
  }

  private PinnedHttp.Response connect(MediaPolicy.CheckedUrl url, Exchange exchange) {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(url.host());
    } catch (UnknownHostException e) {
      throw new MediaUnreachable("cannot resolve " + url.host(), e);
    }
    policy.checkAddresses(url.host(), addresses);
    IOException last = null;
    // Each address was checked above; trying the next one on a connect failure keeps the pin.
    for (InetAddress address : addresses) {
      try {
        return exchange.with(new InetSocketAddress(address, url.port()));
      } catch (IOException e) {
        last = e;
      }
    }
    throw new MediaUnreachable("cannot reach " + url.host() + ": " + last, last);
  }
}
