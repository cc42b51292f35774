package io.dataflow.config;

import io.dataflow.api.TableId;

/** A {@code change-type} transform: in database targets, this source column gets this target type. */
public record ChangeType(TableId table, String column, String to) {}
