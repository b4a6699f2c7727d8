package dev.editflow.benchmarks;

import dev.editflow.testsupport.TestImages;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Several API users at once, so per-user ordering and limits never shape a benchmark. */
final class ApiUsers {

  private static final byte[] INPUT = TestImages.png(256, 256);

  private final List<ApiUser> users;

  private ApiUsers(List<ApiUser> users) {
    this.users = users;
  }

  /** Users {@code <prefix>u0 … u<count-1>}, logged in and with an upload each. */
  static ApiUsers login(URI gateway, String prefix, int count) {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ApiUser>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + "u" + i;
        futures.add(threads.submit(() -> ApiUser.login(gateway, name, INPUT)));
      }
      List<ApiUser> users = new ArrayList<>();
      for (Future<ApiUser> future : futures) {
        users.add(future.get());
      }
      return new ApiUsers(users);
    } catch (Exception e) {
      throw new IllegalStateException("Could not log in benchmark users: " + e.getMessage(), e);
    }
  }

  ApiUser get(int index) {
    return users.get(index % users.size());
  }
}
