package dev.editflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSettingsTests {

  @Test
  void writesReadableLogsUnlessJsonIsAskedFor() {
    assertThat(LocalSettings.from(Map.of()).jsonLogs()).isFalse();
    assertThat(LocalSettings.from(Map.of("EDITFLOW_LOG_FORMAT", "text")).jsonLogs()).isFalse();
    assertThat(LocalSettings.from(Map.of("EDITFLOW_LOG_FORMAT", "JSON")).jsonLogs()).isTrue();
  }

  @Test
  void refusesALogFormatItDoesNotKnow() {
    assertThatThrownBy(() -> LocalSettings.from(Map.of("EDITFLOW_LOG_FORMAT", "logfmt")))
        .hasMessageContaining("EDITFLOW_LOG_FORMAT must be text (the default) or json");
  }
}
