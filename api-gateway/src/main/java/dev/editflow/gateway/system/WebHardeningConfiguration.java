package dev.editflow.gateway.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What every request meets before Spring Security and Spring MVC: the security headers, the
 * in-flight limit, the body limit, and problem+json for requests Tomcat itself refuses.
 */
@Configuration(proxyBeanMethods = false)
class WebHardeningConfiguration {

  @Bean
  FilterRegistrationBean<SecurityHeaders> securityHeaders() {
    FilterRegistrationBean<SecurityHeaders> filter =
        new FilterRegistrationBean<>(new SecurityHeaders());
    filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return filter;
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(
      GatewaySettings settings, Problems problems) {
    FilterRegistrationBean<RequestBodyLimit> filter =
        new FilterRegistrationBean<>(
            new RequestBodyLimit(settings.maxRequestBody().toBytes(), problems));
    filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return filter;
  }

  @Bean
  FilterRegistrationBean<InFlightLimit> inFlightLimit(
      GatewaySettings settings, LoadShedding shedding, Problems problems, MeterRegistry meters) {
    InFlightLimit limit = new InFlightLimit(settings.load().maxInFlight(), shedding, problems);
    Gauge.builder("editflow.gateway.requests.in.flight", limit, InFlightLimit::inFlight)
        .description("Requests being handled (editflow.gateway.load.max-in-flight at most)")
        .register(meters);
    FilterRegistrationBean<InFlightLimit> filter = new FilterRegistrationBean<>(limit);
    // Before the body limit, authentication and everything else: shedding must cost nothing.
    filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return filter;
  }

  /**
   * Replaces Tomcat's HTML error report valve on the host. Runs after Boot's own customizer (order
   * 0), which installs a plain {@link ErrorReportValve} that would otherwise answer first.
   */
  @Bean
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemReportValve(
      Problems problems) {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              StandardHost host = (StandardHost) context.getParent();
              for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                  host.getPipeline().removeValve(valve);
                }
              }
              host.getPipeline().addValve(new ProblemReportValve(problems));
              // Otherwise the host adds a plain ErrorReportValve of its own when it starts.
              host.setErrorReportValveClass(ProblemReportValve.class.getName());
            });
  }
}
