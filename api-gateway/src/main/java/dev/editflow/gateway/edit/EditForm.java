package dev.editflow.gateway.edit;

import io.swagger.v3.oas.annotations.media.Schema;
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
@Schema(name = "EditRequest")
record EditForm(
    @Schema(example = "make the sky purple") @NotBlank @Size(max = 2000) String prompt,
    @NotEmpty @Size(max = 4) List<@Valid InputForm> inputs,
    @Schema(
            description = "The model; the default is fal-ai/nano-banana-pro/edit",
            allowableValues = {
              "fal-ai/nano-banana-pro/edit",
              "fal-ai/nano-banana/edit",
              "fal-ai/flux-pro/kontext"
            })
        @Nullable
        @Size(max = 100)
        String model,
    @Schema(description = "Images to make (default 1)", example = "2") @Nullable @Min(1) @Max(4)
        Integer numImages,
    @Schema(example = "16:9")
        @Nullable
        @Pattern(regexp = "auto|21:9|16:9|3:2|4:3|5:4|1:1|4:5|3:4|2:3|9:16")
        String aspectRatio,
    @Schema(description = "Only for fal-ai/nano-banana-pro/edit (default 1K)", example = "2K")
        @Nullable
        @Pattern(regexp = "1K|2K|4K")
        String resolution,
    @Schema(description = "Default png (jpeg for flux-pro/kontext)", example = "png")
        @Nullable
        @Pattern(regexp = "jpeg|png|webp")
        String outputFormat,
    @Nullable @Min(0) @Max(4294967295L) Long seed,
    @Schema(
            description =
                "https URL that gets a signed Standard Webhooks POST when the job ends; must"
                    + " resolve to public addresses",
            example = "https://example.com/hooks/editflow")
        @Nullable
        @Size(max = 2000)
        String webhookUrl) {

  /** One input: our upload, or (when allowed) an https URL. */
  @Schema(
      name = "EditInput",
      description = "Exactly one of uploadId (from POST /v1/uploads) or url (allow-listed https)")
  record InputForm(
      @Schema(example = "up_01JD3Q5S8V1Y3K7M2P9T4W6X0Z") @Nullable @Size(max = 40) String uploadId,
      @Nullable @Size(max = 2000) String url) {}
}
