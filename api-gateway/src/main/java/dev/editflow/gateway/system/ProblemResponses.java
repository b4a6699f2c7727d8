package dev.editflow.gateway.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error codes an endpoint answers with beyond those every endpoint shares (authentication,
 * malformed bodies, overload, outages). The OpenAPI document lists them, grouped by HTTP status, as
 * the {@code code} enum of the endpoint's problem+json responses.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProblemResponses {
  ApiError[] value();
}
