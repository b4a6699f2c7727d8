package dev.editflow.gateway.demo;

import dev.editflow.storage.ObjectStoreSettings;
import java.net.URI;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The demo web app (built by the {@code clients} module into {@code classpath:/editflow-demo/}) at
 * {@code /demo/}, in the local profile only. Its Content-Security-Policy allows exactly what the
 * page needs: its own scripts and styles, the API on this origin, and our S3 for the presigned
 * upload and the result images.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class DemoConfiguration implements WebMvcConfigurer {

  static final String LOCATION = "classpath:/editflow-demo/";

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/demo", "/demo/");
    registry.addViewController("/demo/").setViewName("forward:/demo/index.html");
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry.addResourceHandler("/demo/**").addResourceLocations(LOCATION);
  }

  @Bean
  @Order(1)
  SecurityFilterChain demoPage(
      HttpSecurity http, S3Presigner presigner, ObjectStoreSettings storage) throws Exception {
    String s3 = s3Origin(presigner, storage);
    return http.securityMatcher("/demo", "/demo/**")
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp ->
                        csp.policyDirectives(
                            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: "
                                + s3
                                + "; connect-src 'self' "
                                + s3
                                + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")))
        .build();
  }

  /**
   * The origin browsers reach our bucket at: that of a presigned URL, so it is right for a public
   * endpoint, path-style or virtual-hosted buckets alike.
   */
  static String s3Origin(S3Presigner presigner, ObjectStoreSettings storage) {
    URI url =
        URI.create(
            presigner
                .presignGetObject(
                    r ->
                        r.signatureDuration(Duration.ofMinutes(1))
                            .getObjectRequest(g -> g.bucket(storage.bucket()).key("demo")))
                .url()
                .toString());
    return url.getScheme() + "://" + url.getRawAuthority();
  }
}
