package dev.editflow.archiver.system;

import dev.editflow.archiver.archive.OutputArchiver;
import dev.editflow.archiver.fetch.MediaFetcher;
import dev.editflow.safehttp.HostResolver;
import dev.editflow.safehttp.OutboundPolicy;
import dev.editflow.safehttp.PinnedHttp;
import dev.editflow.storage.ObjectStoreSettings;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the fetcher and the archiver from {@link ArchiverSettings}. */
@Configuration(proxyBeanMethods = false)
class ArchiverConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiverConfiguration.class);

  ArchiverConfiguration() {
    // Header probes read from memory; ImageIO's default disk cache would only add temp files.
    ImageIO.setUseCache(false);
  }

  @Bean
  MediaFetcher mediaFetcher(ArchiverSettings settings) {
    ArchiverSettings.Media media = settings.media();
    OutboundPolicy policy =
        new OutboundPolicy(
            media.allowedHosts(),
            media.allowHttp(),
            media.allowLoopback(),
            media.allowPrivateNetworks());
    if (media.allowHttp() || media.allowLoopback() || media.allowPrivateNetworks()) {
      LOG.warn(
          "Media fetching is relaxed for local use ({}); never run production like this.", policy);
    } else {
      LOG.info("Media fetching follows {}.", policy);
    }
    return new MediaFetcher(
        new PinnedHttp(
            policy, HostResolver.SYSTEM, null, media.connectTimeout(), media.readTimeout()),
        media.downloadTimeout(),
        media.maxRedirects());
  }

  @Bean
  OutputArchiver outputArchiver(
      MediaFetcher fetcher,
      S3Client s3,
      ObjectStoreSettings storage,
      ArchiverSettings settings,
      Clock clock,
      ObjectProvider<Tracer> tracer) {
    return new OutputArchiver(
        fetcher,
        s3,
        storage.bucket(),
        settings.maxBytes().toBytes(),
        (int) settings.partSize().toBytes(),
        (int) settings.headerBytes().toBytes(),
        clock,
        tracer.getIfAvailable(() -> Tracer.NOOP));
  }
}
