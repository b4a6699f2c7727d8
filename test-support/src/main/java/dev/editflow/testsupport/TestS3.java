package dev.editflow.testsupport;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 endpoint in this JVM (S3Proxy over an in-memory store), with signature checks on, so
 * presigned URLs and signed content-length/type behave as on AWS. One per test JVM; {@link #stop()}
 * and {@link #restart()} simulate an S3 outage.
 */
public final class TestS3 {

  public static final String ACCESS_KEY = "editflow-test";
  public static final String SECRET_KEY = "editflow-test-secret";
  public static final String BUCKET = "editflow";

  private final BlobStore store;
  private S3Proxy proxy;
  private int port;

  private TestS3() {
    this.store = BlobStores.create("transient-nio2", new Properties());
    this.proxy = newProxy(0);
    start();
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(BUCKET));
    }
  }

  private static final class Holder {
    static final TestS3 INSTANCE = new TestS3();
  }

  public static TestS3 get() {
    return Holder.INSTANCE;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Registers {@code editflow.s3.*} for this endpoint and bucket. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("editflow.s3.endpoint", () -> endpoint().toString());
    registry.add("editflow.s3.region", () -> "us-east-1");
    registry.add("editflow.s3.access-key", () -> ACCESS_KEY);
    registry.add("editflow.s3.secret-key", () -> SECRET_KEY);
    registry.add("editflow.s3.bucket", () -> BUCKET);
    registry.add("editflow.s3.path-style", () -> "true");
  }

  /** A client for assertions in tests; the caller closes it. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .forcePathStyle(true)
        .build();
  }

  /** Takes S3 off the network, keeping its data, as an outage would. */
  public synchronized void stop() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Brings S3 back on the same port with the same data. */
  public synchronized void restart() {
    proxy = newProxy(port);
    start();
  }

  private S3Proxy newProxy(int wantedPort) {
    return S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
  }

  private void start() {
    try {
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start");
        }
        Thread.sleep(5);
      }
      port = proxy.getPort();
    } catch (Exception e) {
      throw new IllegalStateException("Could not start in-process S3", e);
    }
  }
}
