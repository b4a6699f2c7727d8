/**
 * Our thin, non-blocking client for fal.ai's queue API (submit, status, result, cancel) on {@code
 * java.net.http}, with fal's retry rules and every failure classified into a stable {@link
 * dev.editflow.model.ErrorCode}.
 */
@NullMarked
package dev.editflow.fal;

import org.jspecify.annotations.NullMarked;
