package dev.editflow.storage;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where editflow keeps uploads and archived outputs.
 *
 * @param endpoint S3 endpoint; empty for AWS itself, e.g. {@code http://127.0.0.1:9000} for MinIO
 * @param publicEndpoint the endpoint clients and fal use in presigned URLs, when it differs from
 *     {@code endpoint} (e.g. a container-internal host name); defaults to {@code endpoint}
 * @param accessKey empty to use the AWS default credentials chain
 * @param pathStyle path-style addressing, needed by MinIO and S3Proxy
 */
@ConfigurationProperties("editflow.s3")
public record ObjectStoreSettings(
    @Nullable URI endpoint,
    @Nullable URI publicEndpoint,
    @DefaultValue("us-east-1") String region,
    @Nullable String accessKey,
    @Nullable String secretKey,
    @DefaultValue("editflow") String bucket,
    @DefaultValue("true") boolean pathStyle) {

  @Override
  public String toString() {
    return "ObjectStoreSettings[endpoint=%s, bucket=%s, region=%s]"
        .formatted(endpoint, bucket, region);
  }
}
