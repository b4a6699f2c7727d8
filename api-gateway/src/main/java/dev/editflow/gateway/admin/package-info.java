/**
 * The operator API under {@code /admin/v1}: any job with its history, stuck jobs, re-drive and
 * cancel, parked messages and their replay, failed client webhooks and their re-send, a user's
 * usage and limits. Only tokens with the {@code editflow:admin} scope reach it; every change is
 * audited.
 */
@NullMarked
package dev.editflow.gateway.admin;

import org.jspecify.annotations.NullMarked;
