# Mirrors the parameters of deploy/cloudformation/dataflow-stack.yaml (same names in snake_case, same defaults).

variable "region" {
  type        = string
  description = "AWS region to deploy to."
  default     = "eu-west-1"
}

variable "environment" {
  type        = string
  description = "Environment name; part of resource names and tags."
  default     = "dev"
  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment must be dev, staging or production."
  }
}

variable "pipeline_name" {
  type        = string
  description = "The pipeline's name (the lake folders raw/<name>/ and _state/<name>/)."
  default     = "shop"
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,30}$", var.pipeline_name))
    error_message = "pipeline_name: lower-case letters, digits and '-', at most 31 characters."
  }
}

variable "container_image" {
  type        = string
  description = "The DataFlow image (built from docker/Dockerfile and pushed to your registry)."
  default     = "public.ecr.aws/example/dataflow:0.1.0"
}

variable "pipeline_yaml" {
  type        = string
  description = "The pipeline file's text; lake uri s3://<lake bucket>/, source password $${env:SOURCE_PASSWORD}."
  default     = ""
}

variable "vpc_id" {
  type        = string
  description = "VPC of the ECS service (and of the source database)."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the ECS task (routes to S3, CloudWatch and the source database)."
}

variable "task_cpu" {
  type        = number
  description = "Fargate task CPU units."
  default     = 1024
}

variable "task_memory" {
  type        = number
  description = "Fargate task memory (MiB)."
  default     = 2048
}

variable "log_retention_days" {
  type        = number
  description = "CloudWatch log retention in days."
  default     = 30
}

variable "raw_zone_glacier_days" {
  type        = number
  description = "Days after which raw-zone objects move to Glacier Flexible Retrieval."
  default     = 90
}

variable "noncurrent_version_days" {
  type        = number
  description = "Days after which replaced (noncurrent) object versions are deleted."
  default     = 30
}

variable "staging_expiration_days" {
  type        = number
  description = "Days after which staging-bucket objects are deleted."
  default     = 90
}

variable "lag_alarm_threshold_ms" {
  type        = number
  description = "Replication lag (ms) above which the lag alarm fires."
  default     = 60000
}

variable "glue_database_name" {
  type        = string
  description = "AWS Glue database of the processed zone's Iceberg tables (set processed.catalog to {type: glue, database: <this>} in the pipeline file; Athena then sees the tables)."
  default     = "dataflow"
  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue_database_name))
    error_message = "glue_database_name: lower-case letters, digits and underscores only."
  }
}

variable "metrics_namespace" {
  type        = string
  description = "CloudWatch namespace DataFlow publishes its metrics to."
  default     = "DataFlow"
}

variable "enable_replication" {
  type        = bool
  description = "Replicate the lake bucket to another region's bucket."
  default     = false
}

variable "replication_destination_bucket_arn" {
  type        = string
  description = "ARN of the destination bucket (versioning on) when enable_replication is true."
  default     = ""
}

variable "replication_destination_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts replicas in the destination region."
  default     = ""
}
