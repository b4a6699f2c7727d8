package dev.editflow.fal;

import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Reads the {@code data:} lines of a status stream; comments ({@code :}) are keep-alives. */
final class StatusStream implements Flow.Subscriber<String> {

  private final JsonMapper json;
  private final Consumer<FalStatus> onStatus;
  volatile @Nullable FalStatus last;

  StatusStream(JsonMapper json, Consumer<FalStatus> onStatus) {
    this.json = json;
    this.onStatus = onStatus;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (line.startsWith("data:")) {
      FalStatus status = FalAnswers.status(json.readTree(line.substring(5).strip()));
      last = status;
      onStatus.accept(status);
    }
  }

  @Override
  public void onError(Throwable throwable) {}

  @Override
  public void onComplete() {}
}
