variable "region" {
  type        = string
  description = "AWS region."
}

variable "lake_bucket_name" {
  type        = string
  description = "The lake bucket (deploy/terraform's lake_bucket_name output)."
}

variable "lake_bucket_arn" {
  type        = string
  description = "The lake bucket's ARN (deploy/terraform's lake_bucket_arn output)."
}

variable "kms_key_arn" {
  type        = string
  description = "The lake's KMS key (deploy/terraform's kms_key_arn output)."
}

variable "environment" {
  type        = string
  default     = "dev"
  description = "Environment name."
  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment must be dev, staging or production."
  }
}

variable "pipeline_name" {
  type        = string
  default     = "shop"
  description = "The pipeline's name; DMS writes under raw/<name>/ like DataFlow."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets of the replication instance (at least two AZs)."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the replication instance."
}

variable "replication_instance_class" {
  type        = string
  default     = "dms.t3.medium"
  description = "DMS replication instance class."
}

variable "multi_az" {
  type        = string
  default     = "false"
  description = "Run the replication instance in two availability zones (true or false)."
}

variable "source_engine" {
  type        = string
  default     = "postgres"
  description = "Source engine (DMS names)."
  validation {
    condition     = contains(["postgres", "mysql", "mariadb"], var.source_engine)
    error_message = "source_engine must be postgres, mysql or mariadb."
  }
}

variable "source_server" {
  type        = string
  description = "Source database host name."
}

variable "source_port" {
  type        = number
  default     = 5432
  description = "Source database port."
}

variable "source_database" {
  type        = string
  description = "Source database name."
}

variable "source_secret_arn" {
  type        = string
  description = "Secrets Manager secret with username and password (deploy/terraform's source_secret_arn output)."
}

variable "table_mappings" {
  type        = string
  default     = "{\"rules\": [{\"rule-type\": \"selection\", \"rule-id\": \"1\", \"rule-name\": \"include-1\", \"object-locator\": {\"schema-name\": \"public\", \"table-name\": \"%\"}, \"rule-action\": \"include\"}]}"
  description = "DMS table mappings JSON; `dataflow iac --config pipeline.yaml --format terraform` renders them from the pipeline's rules."
}

variable "create_dms_vpc_role" {
  type        = string
  default     = "false"
  description = "Create the account-wide dms-vpc-role (only if the account does not have it yet)."
}

variable "create_dms_cloud_watch_logs_role" {
  type        = string
  default     = "false"
  description = "Create the account-wide dms-cloudwatch-logs-role (only if the account does not have it yet)."
}
