package dev.editflow.gateway.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a job's files stay in the bucket after the job, under {@code editflow.retention}.
 *
 * @param outputs how long an ended job's outputs are kept (from its end); {@code 0} keeps them
 *     forever
 * @param inputs how long an upload a job used is kept (from the upload); {@code 0} keeps them
 *     forever. An upload an unfinished job still needs is never removed
 * @param sweepInterval how often each gateway replica looks for files past their retention
 */
@ConfigurationProperties("editflow.retention")
record RetentionSettings(
    @DefaultValue("30d") Duration outputs,
    @DefaultValue("7d") Duration inputs,
    @DefaultValue("1h") Duration sweepInterval) {}
