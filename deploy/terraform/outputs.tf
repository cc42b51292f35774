# Mirrors the outputs (exports) of deploy/cloudformation/dataflow-stack.yaml.

output "lake_bucket_name" {
  description = "The data-lake bucket; use s3://<this>/ as the pipeline's lake uri."
  value       = aws_s3_bucket.lake.bucket
}

output "lake_bucket_arn" {
  value = aws_s3_bucket.lake.arn
}

output "staging_bucket_name" {
  value = aws_s3_bucket.staging.bucket
}

output "kms_key_arn" {
  value = aws_kms_key.lake.arn
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.dataflow.name
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}

output "source_secret_arn" {
  value = aws_secretsmanager_secret.source.arn
}

output "glue_database_name" {
  value = aws_glue_catalog_database.processed.name
}

output "task_security_group_id" {
  value = aws_security_group.task.id
}
