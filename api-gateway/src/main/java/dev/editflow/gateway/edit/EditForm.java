package dev.editflow.gateway.edit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /v1/edits}. Unknown fields are rejected, not ignored. */
record EditForm(
    @NotBlank @Size(max = 2000) String prompt,
    @NotEmpty @Size(max = 4) List<@Valid InputForm> inputs,
    @Nullable @Size(max = 100) String model,
    @Nullable @Min(1) @Max(4) Integer numImages,
    @Nullable @Pattern(regexp = "auto|21:9|16:9|3:2|4:3|5:4|1:1|4:5|3:4|2:3|9:16")
        String aspectRatio,
    @Nullable @Pattern(regexp = "1K|2K|4K") String resolution,
    @Nullable @Pattern(regexp = "jpeg|png|webp") String outputFormat,
    @Nullable @Min(0) @Max(4294967295L) Long seed,
    @Nullable @Size(max = 2000) String webhookUrl) {

  /** One input: our upload, or (when allowed) an https URL. */
  record InputForm(
      @Nullable @Size(max = 40) String uploadId, @Nullable @Size(max = 2000) String url) {}
}
