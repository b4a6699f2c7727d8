package dev.editflow.gateway.system;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI document ({@code /v3/api-docs}, checked in as {@code api-gateway/openapi.yaml}): the
 * bearer scheme, the problem+json shape, and on every operation its error responses with the {@code
 * code}s it can answer, grouped by status. The TypeScript client is generated from it.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static {
    // Enums become named schemas (JobStatus, ErrorCode), so clients get one type per enum.
    ModelResolver.enumsAsRef = true;
  }

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String PROBLEM = "#/components/schemas/Problem";
  private static final String RETRY_AFTER = "Retry-After";

  /** Every operation can meet these: an instance at its bounds, a dependency away, a bug. */
  private static final Set<ApiError> EVERYWHERE =
      EnumSet.of(ApiError.OVERLOADED, ApiError.TEMPORARILY_UNAVAILABLE, ApiError.INTERNAL);

  /** An operation with a JSON body can meet these before it runs. */
  private static final Set<ApiError> WITH_BODY =
      EnumSet.of(
          ApiError.MALFORMED_REQUEST,
          ApiError.VALIDATION_FAILED,
          ApiError.UNSUPPORTED_MEDIA_TYPE,
          ApiError.PAYLOAD_TOO_LARGE);

  @Bean
  OpenAPI editflowApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("editflow API")
                .version("v1")
                .license(
                    new License()
                        .name("Apache-2.0")
                        .url("https://www.apache.org/licenses/LICENSE-2.0"))
                .description(
                    """
                    Asynchronous image edits: ask for an upload URL and PUT the image straight to \
                    S3, ask for an edit, follow the job (server-sent events or polling), download \
                    the outputs from our bucket.

                    Every error is `application/problem+json` (RFC 9457) with a stable `code`; each \
                    operation lists the codes it can answer. Any path can also answer `NOT_FOUND`, \
                    `METHOD_NOT_ALLOWED`, `NOT_ACCEPTABLE` or `INVALID_REQUEST`. `429` and `503` \
                    answers carry `Retry-After` (seconds): retry after it, with the same \
                    `Idempotency-Key` when creating an edit.

                    `/v1/dev/tokens` exists only in the local profile (the local stack and compose).

                    `/admin/v1` is the operator API: it needs a token with the `editflow:admin` \
                    scope (security scheme `operator`); every change made through it is audited."""))
        .servers(List.of(new Server().url("http://localhost:8080").description("the local stack")))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            "A JWT of your identity provider (or of /v1/dev/tokens locally); its"
                                + " `sub` owns the jobs and uploads it creates."))
                .addSecuritySchemes(
                    "operator",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            "A JWT whose `scope` claim holds `editflow:admin` (locally: /v1/dev/tokens"
                                + " with admin: true). Opens /admin/v1; any other token gets 403"
                                + " FORBIDDEN there."))
                .addHeaders(
                    RETRY_AFTER,
                    new Header()
                        .description("Seconds to wait before retrying")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE).example(2)))
                .addSchemas("ProblemCode", problemCodes())
                .addSchemas("FieldError", fieldError())
                .addSchemas("Problem", problem()))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /**
   * Adds the operation's problem responses: its declared {@link ProblemResponses} plus those that
   * follow from how it is called (a bearer token, a JSON body, parameters).
   */
  @Bean
  OperationCustomizer problemResponses() {
    return (operation, handler) -> {
      Set<ApiError> errors = EnumSet.noneOf(ApiError.class);
      if (!handler.hasMethodAnnotation(SecurityRequirements.class)) {
        errors.add(ApiError.UNAUTHENTICATED);
      }
      if (has(handler, RequestBody.class)) {
        errors.addAll(WITH_BODY);
      }
      if (has(handler, RequestParam.class)) {
        errors.add(ApiError.VALIDATION_FAILED);
      }
      ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
      if (declared != null) {
        errors.addAll(Arrays.asList(declared.value()));
      }
      errors.addAll(EVERYWHERE);
      ApiResponses responses =
          operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
      Map<Integer, List<ApiError>> byStatus =
          errors.stream()
              .collect(
                  Collectors.groupingBy(
                      e -> e.status().value(), TreeMap::new, Collectors.toList()));
      byStatus.forEach(
          (status, codes) -> responses.addApiResponse(String.valueOf(status), response(codes)));
      operation.setResponses(responses);
      return operation;
    };
  }

  private static boolean has(
      HandlerMethod handler, Class<? extends java.lang.annotation.Annotation> annotation) {
    for (MethodParameter parameter : handler.getMethodParameters()) {
      if (parameter.hasParameterAnnotation(annotation)) {
        return true;
      }
    }
    return false;
  }

  private static ApiResponse response(List<ApiError> codes) {
    Schema<?> codeEnum = new StringSchema();
    codes.forEach(code -> ((StringSchema) codeEnum).addEnumItem(code.name()));
    Schema<?> schema =
        new Schema<>()
            .allOf(
                List.of(
                    new Schema<>().$ref(PROBLEM),
                    new ObjectSchema().addProperty("code", codeEnum)));
    Map<String, Example> examples = new LinkedHashMap<>();
    for (ApiError code : codes) {
      examples.put(code.name(), new Example().summary(code.title()).value(example(code)));
    }
    ApiResponse response =
        new ApiResponse()
            .description(codes.stream().map(ApiError::title).collect(Collectors.joining("; ")))
            .content(
                new Content()
                    .addMediaType(PROBLEM_JSON, new MediaType().schema(schema).examples(examples)));
    int status = codes.getFirst().status().value();
    if (status == 429 || status == 503) {
      response.addHeaderObject(
          RETRY_AFTER, new Header().$ref("#/components/headers/" + RETRY_AFTER));
    }
    return response;
  }

  private static Map<String, Object> example(ApiError code) {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", Problems.type(code).toString());
    example.put("title", code.title());
    example.put("status", code.status().value());
    example.put("detail", code.title());
    example.put("code", code.name());
    return example;
  }

  private static Schema<?> problemCodes() {
    StringSchema codes = new StringSchema();
    for (ApiError error : ApiError.values()) {
      codes.addEnumItem(error.name());
    }
    return codes.description(
        "Every code a problem answer can carry: switch on it, not on the title or detail.");
  }

  private static Schema<?> fieldError() {
    return new ObjectSchema()
        .addProperty("field", new StringSchema().example("prompt"))
        .addProperty("message", new StringSchema().example("must not be blank"))
        .required(List.of("field", "message"));
  }

  private static Schema<?> problem() {
    return new ObjectSchema()
        .description("An RFC 9457 problem with editflow's stable `code`.")
        .addProperty(
            "type",
            new StringSchema()
                .format("uri")
                .example(Problems.type(ApiError.JOB_NOT_FOUND).toString()))
        .addProperty("title", new StringSchema().example(ApiError.JOB_NOT_FOUND.title()))
        .addProperty("status", new IntegerSchema().example(404))
        .addProperty(
            "detail", new StringSchema().example("No edit job ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3"))
        .addProperty(
            "instance", new StringSchema().example("/v1/edits/ed_01JD3Q7ZK2M8T6X4V9W0B5N1C3"))
        .addProperty("code", new Schema<>().$ref("#/components/schemas/ProblemCode"))
        .addProperty(
            "errors",
            new ArraySchema()
                .items(new Schema<>().$ref("#/components/schemas/FieldError"))
                .description("The invalid fields, with VALIDATION_FAILED"))
        .required(List.of("type", "title", "status", "code"));
  }
}
