package dev.editflow.jobs.monitoring;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Liveness and readiness probes and Prometheus scrapes call {@code /actuator} every few seconds:
 * observing them would bury the jobs' traces under thousands of one-span traces.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ServerRequestObservationContext.class)
public class UntracedActuator {

  @Bean
  ObservationPredicate actuatorRequestsNotObserved() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext request
            && request.getCarrier().getRequestURI().startsWith("/actuator"));
  }
}
