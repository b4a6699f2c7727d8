package dev.editflow.systemtests;

import dev.editflow.systemtests.EditflowApi.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users creating jobs as a well-behaved client does, during faults: retry our outages and limits
 * with the same Idempotency-Key for a while, so a retry never doubles a job. Remembers every
 * accepted job with its prompt, which is unique and names the job at fal.
 */
final class JobClients {

  private static final Logger LOG = LoggerFactory.getLogger(JobClients.class);

  /** Long enough to wait out a killed gateway coming back on a busy machine. */
  private static final Duration CLIENT_PATIENCE = Duration.ofMinutes(5);

  private final EditflowStack stack;
  private final String ownerPrefix;
  private final Map<String, String> promptsByJob = new ConcurrentHashMap<>();

  /** Users are named {@code <ownerPrefix><n>}, jobs' owners too: see {@link JobsAudit}. */
  JobClients(EditflowStack stack, String ownerPrefix) {
    this.stack = stack;
    this.ownerPrefix = ownerPrefix;
  }

  /** Logs in user {@code n} and uploads the image its jobs edit. */
  Client client(int n) {
    return client(n, "free");
  }

  /** Logs in user {@code n} of {@code tier} and uploads the image its jobs edit. */
  Client client(int n, String tier) {
    EditflowApi api = EditflowApi.as(stack.gateway.baseUri(), ownerPrefix + n, tier);
    return new Client(api, api.upload(Images.png(96, 64), "image/png"));
  }

  Map<String, String> promptsByJob() {
    return Map.copyOf(promptsByJob);
  }

  final class Client {
    private final EditflowApi api;
    private final String uploadId;

    private Client(EditflowApi api, String uploadId) {
      this.api = api;
      this.uploadId = uploadId;
    }

    /** Creates job number {@code i}; whether it was accepted (within the client's patience). */
    boolean create(int i) {
      String prompt = ownerPrefix + "job " + i + " " + UUID.randomUUID();
      String key = ownerPrefix + i + "-" + prompt.hashCode();
      Response response = tryCreate(prompt, key);
      Instant giveUp = Instant.now().plus(CLIENT_PATIENCE);
      while (worthRetrying(response) && Instant.now().isBefore(giveUp)) {
        Faults.sleepQuietly(Duration.ofSeconds(1));
        response = tryCreate(prompt, key);
      }
      if (response.status() == 202 || response.status() == 200) { // 200: a replay of our own
        promptsByJob.put(response.json().get("id").asString(), prompt);
        return true;
      }
      LOG.warn("Job {} was not accepted: {}", i, response);
      return false;
    }

    private Response tryCreate(String prompt, String key) {
      try {
        return api.post(
            "/v1/edits",
            Map.of("prompt", prompt, "inputs", List.of(Map.of("uploadId", uploadId))),
            Map.of("Idempotency-Key", key));
      } catch (RuntimeException e) {
        return new Response(599, "", null, new byte[0]);
      }
    }
  }

  /** What a well-behaved client retries: our outages, limits and its own racing retry. */
  private static boolean worthRetrying(Response response) {
    return response.status() >= 500 || response.status() == 429 || response.status() == 409;
  }
}
