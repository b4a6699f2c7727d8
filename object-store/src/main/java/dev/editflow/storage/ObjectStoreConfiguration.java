package dev.editflow.storage;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 client, presigner, presigned object URLs and health for a service:
 * {@code @Import(ObjectStoreConfiguration.class)}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObjectStoreSettings.class)
public class ObjectStoreConfiguration {

  @Bean(destroyMethod = "close")
  S3Client s3Client(ObjectStoreSettings settings) {
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .forcePathStyle(settings.pathStyle());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  @Bean(destroyMethod = "close")
  S3Presigner s3Presigner(ObjectStoreSettings settings) {
    var builder =
        S3Presigner.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    var endpoint =
        settings.publicEndpoint() != null ? settings.publicEndpoint() : settings.endpoint();
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @Bean
  ObjectUrls objectUrls(S3Presigner presigner, ObjectStoreSettings settings) {
    return new ObjectUrls(presigner, settings);
  }

  /** Readiness includes our bucket: a service that cannot reach it should not get traffic. */
  @Bean
  HealthIndicator s3HealthIndicator(S3Client s3, ObjectStoreSettings settings) {
    return () -> {
      try {
        s3.headBucket(b -> b.bucket(settings.bucket()));
        return Health.up().withDetail("bucket", settings.bucket()).build();
      } catch (RuntimeException e) {
        return Health.down()
            .withDetail("bucket", settings.bucket())
            .withDetail("error", e.getClass().getSimpleName())
            .build();
      }
    };
  }

  private static AwsCredentialsProvider credentials(ObjectStoreSettings settings) {
    if (settings.accessKey() == null || settings.accessKey().isBlank()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
  }
}
