package dev.editflow.jobs.migration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes a service apply or await the schema migrations, per {@link MigrationSettings}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MigrationSettings.class)
public class MigrationConfiguration {

  @Bean
  FlywayMigrationStrategy applyOrAwaitMigrations(MigrationSettings settings) {
    return new ApplyOrAwaitMigrations(settings);
  }
}
