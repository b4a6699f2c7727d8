package dev.editflow.gateway.webhook;

import dev.editflow.gateway.system.ApiError;
import dev.editflow.gateway.system.RequestRejected;
import dev.editflow.safehttp.HostResolver;
import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.UrlNotAllowed;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Refuses a job's {@code webhookUrl} at submit when the result-archiver would never call it, so the
 * client hears about it at once: the URL is checked against the receivers' {@link OutboundPolicy}
 * (the one the archiver sends by), and its host is resolved once and every address checked. A host
 * that does not resolve (yet, or in time) is accepted: the sender checks again at delivery, because
 * DNS answers change.
 */
@Component
public class WebhookUrls implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookUrls.class);

  private final OutboundPolicy policy;
  private final HostResolver resolver;
  private final Duration lookupTimeout;
  // Lookups outlive a timed-out wait (the resolver cannot be interrupted); virtual threads make
  // that cheap, and a submit never waits longer than the timeout.
  private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

  @Autowired
  WebhookUrls(WebhookReceiverSettings settings) {
    this(settings.policy(), HostResolver.SYSTEM, settings.lookupTimeout());
  }

  WebhookUrls(OutboundPolicy policy, HostResolver resolver, Duration lookupTimeout) {
    this.policy = policy;
    this.resolver = resolver;
    this.lookupTimeout = lookupTimeout;
  }

  /**
   * @throws RequestRejected with {@link ApiError#WEBHOOK_URL_NOT_ALLOWED} if the URL or an address
   *     its host resolves to is not allowed
   */
  public void check(String url) {
    OutboundPolicy.CheckedUrl checked;
    try {
      checked = policy.check(url);
    } catch (UrlNotAllowed e) {
      throw refused(e.getMessage());
    }
    try {
      policy.addressesOf(checked, this::resolveInTime);
    } catch (UrlNotAllowed e) {
      // The caller named a literal address; a name's resolved addresses are not theirs to learn.
      throw refused(
          checked.hostIsAddress()
              ? e.getMessage()
              : checked.host()
                  + " resolves to an address webhooks are not sent to"
                  + " (loopback, private, link-local or metadata)");
    } catch (UnknownHostException e) {
      LOG.debug("Webhook host {} did not resolve at submit: {}", checked.host(), e.getMessage());
    }
  }

  private InetAddress[] resolveInTime(String host) throws UnknownHostException {
    Future<InetAddress[]> lookup = lookups.submit(() -> resolver.resolve(host));
    try {
      return lookup.get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      lookup.cancel(true);
      throw new UnknownHostException(host + " did not resolve within " + lookupTimeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException unknown) {
        throw unknown;
      }
      throw new UnknownHostException(host + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException(host + ": interrupted");
    }
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }

  private static RequestRejected refused(String reason) {
    return new RequestRejected(
        ApiError.WEBHOOK_URL_NOT_ALLOWED, "webhookUrl is not allowed: " + reason);
  }
}
