# DataFlow on AWS with Terraform: the same resources and settings as deploy/cloudformation/dataflow-stack.yaml
# (deploy/test/parity.test.mjs checks it). Terraform splits some CloudFormation properties into resources of
# their own (bucket versioning, encryption, lifecycle, ...); the settings are the same.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      application = "dataflow"
      environment = var.environment
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name      = "dataflow-${var.pipeline_name}-${var.environment}"
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  log_group = "/dataflow/${var.pipeline_name}-${var.environment}"
}

# ------------------------------------------------------------------------------------------------ KMS
resource "aws_kms_key" "lake" {
  description         = "DataFlow ${var.pipeline_name} ${var.environment}: data lake, staging, logs and secret"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsUse"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${data.aws_region.current.name}:${local.account}:log-group:${local.log_group}"
          }
        }
      }
    ]
  })
}

resource "aws_kms_alias" "lake" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.lake.key_id
}

# ------------------------------------------------------------------------------------------------ lake bucket
resource "aws_s3_bucket" "lake" {
  bucket = "${local.name}-lake-${local.account}"
}

resource "aws_s3_bucket_versioning" "lake" {
  bucket = aws_s3_bucket.lake.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.lake.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "lake" {
  bucket                  = aws_s3_bucket.lake.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    id     = "raw-zone-to-glacier"
    status = "Enabled"
    filter {
      prefix = "raw/"
    }
    transition {
      days          = var.raw_zone_glacier_days
      storage_class = "GLACIER"
    }
  }
  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
  }
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "lake" {
  bucket = aws_s3_bucket.lake.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.lake.arn, "${aws_s3_bucket.lake.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_iam_role" "replication" {
  count = var.enable_replication ? 1 : 0
  name  = "${local.name}-replication"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "s3.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "replication" {
  count = var.enable_replication ? 1 : 0
  name  = "replicate-lake"
  role  = aws_iam_role.replication[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource = aws_s3_bucket.lake.arn },
      { Effect = "Allow", Action = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource = "${aws_s3_bucket.lake.arn}/*" },
      { Effect = "Allow", Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource = "${var.replication_destination_bucket_arn}/*" },
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = aws_kms_key.lake.arn },
      { Effect = "Allow", Action = ["kms:Encrypt"], Resource = var.replication_destination_kms_key_arn }
    ]
  })
}

resource "aws_s3_bucket_replication_configuration" "lake" {
  count      = var.enable_replication ? 1 : 0
  depends_on = [aws_s3_bucket_versioning.lake]
  bucket     = aws_s3_bucket.lake.id
  role       = aws_iam_role.replication[0].arn
  rule {
    id     = "replicate-lake"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = var.replication_destination_bucket_arn
      encryption_configuration {
        replica_kms_key_id = var.replication_destination_kms_key_arn
      }
    }
  }
}

# ------------------------------------------------------------------------------------------------ staging bucket
resource "aws_s3_bucket" "staging" {
  bucket = "${local.name}-staging-${local.account}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "staging" {
  bucket = aws_s3_bucket.staging.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.lake.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "staging" {
  bucket                  = aws_s3_bucket.staging.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "staging" {
  bucket = aws_s3_bucket.staging.id
  rule {
    id     = "expire-staging"
    status = "Enabled"
    filter {}
    expiration {
      days = var.staging_expiration_days
    }
  }
}

resource "aws_s3_bucket_policy" "staging" {
  bucket = aws_s3_bucket.staging.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.staging.arn, "${aws_s3_bucket.staging.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# ------------------------------------------------------------------------------------------------ logs, secret
resource "aws_cloudwatch_log_group" "dataflow" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.lake.arn
}

resource "aws_secretsmanager_secret" "source" {
  name        = "dataflow/${var.pipeline_name}-${var.environment}/source"
  description = "Source database credentials for DataFlow (JSON with a \"password\" key)."
  kms_key_id  = aws_kms_key.lake.arn
}

resource "random_password" "source" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret_version" "source" {
  secret_id     = aws_secretsmanager_secret.source.id
  secret_string = jsonencode({ username = "dataflow", password = random_password.source.result })
}

# ------------------------------------------------------------------------------------------------ IAM
resource "aws_iam_role" "task" {
  name = "${local.name}-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "task" {
  name = "dataflow-task"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "LakeObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = ["${aws_s3_bucket.lake.arn}/raw/*", "${aws_s3_bucket.lake.arn}/processed/*", "${aws_s3_bucket.lake.arn}/_state/*"]
      },
      {
        Sid       = "LakeList"
        Effect    = "Allow"
        Action    = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
        Resource  = aws_s3_bucket.lake.arn
        Condition = { StringLike = { "s3:prefix" = ["raw/*", "processed/*", "_state/*"] } }
      },
      {
        Sid    = "GlueCatalog"
        Effect = "Allow"
        Action = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable"]
        Resource = [
          "arn:${local.partition}:glue:${data.aws_region.current.name}:${local.account}:catalog",
          "arn:${local.partition}:glue:${data.aws_region.current.name}:${local.account}:database/${aws_glue_catalog_database.processed.name}",
          "arn:${local.partition}:glue:${data.aws_region.current.name}:${local.account}:table/${aws_glue_catalog_database.processed.name}/*",
        ]
      },
      {
        Sid      = "StagingObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.staging.arn}/*"
      },
      {
        Sid      = "LakeKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_key.lake.arn
      },
      {
        Sid       = "Metrics"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = "*"
        Condition = { StringEquals = { "cloudwatch:namespace" = var.metrics_namespace } }
      }
    ]
  })
}

# ------------------------------------------------------------------------------------------------ Glue
resource "aws_glue_catalog_database" "processed" {
  catalog_id  = local.account
  name        = var.glue_database_name
  description = "DataFlow processed zone (Apache Iceberg tables in s3://${aws_s3_bucket.lake.bucket}/processed/)"
}

resource "aws_iam_role" "execution" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "execution" {
  name = "dataflow-execution"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "PullImageToken", Effect = "Allow", Action = ["ecr:GetAuthorizationToken"], Resource = "*" },
      {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "arn:${local.partition}:ecr:${data.aws_region.current.name}:${local.account}:repository/*"
      },
      { Sid = "Logs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "${aws_cloudwatch_log_group.dataflow.arn}:*" },
      { Sid = "Secret", Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = aws_secretsmanager_secret.source.arn },
      { Sid = "SecretKey", Effect = "Allow", Action = ["kms:Decrypt"], Resource = aws_kms_key.lake.arn }
    ]
  })
}

# ------------------------------------------------------------------------------------------------ ECS
resource "aws_ecs_cluster" "dataflow" {
  name = local.name
}

resource "aws_security_group" "task" {
  name        = "${local.name}-task"
  description = "DataFlow task; outbound only (to the source database, S3, CloudWatch)."
  vpc_id      = var.vpc_id
  egress {
    description = "source database and AWS endpoints"
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "dataflow" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name         = "dataflow"
    image        = var.container_image
    essential    = true
    stopTimeout  = 60
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    environment = [
      { name = "DATAFLOW_PIPELINE", value = var.pipeline_yaml },
      { name = "DATAFLOW_HTTP_PORT", value = "8080" },
      { name = "DATAFLOW_CLOUDWATCH_NAMESPACE", value = var.metrics_namespace }
    ]
    secrets = [{ name = "SOURCE_PASSWORD", valueFrom = "${aws_secretsmanager_secret.source.arn}:password::" }]
    healthCheck = {
      command     = ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/health || exit 1"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 120
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.dataflow.name
        "awslogs-region"        = data.aws_region.current.name
        "awslogs-stream-prefix" = "dataflow"
      }
    }
  }])
}

resource "aws_ecs_service" "dataflow" {
  name                               = "dataflow-${var.pipeline_name}"
  cluster                            = aws_ecs_cluster.dataflow.id
  task_definition                    = aws_ecs_task_definition.dataflow.arn
  launch_type                        = "FARGATE"
  desired_count                      = 1
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  network_configuration {
    assign_public_ip = false
    security_groups  = [aws_security_group.task.id]
    subnets          = var.subnet_ids
  }
}

# ------------------------------------------------------------------------------------------------ dashboard, alarms
resource "aws_cloudwatch_dashboard" "dataflow" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      { type = "metric", x = 0, y = 0, width = 12, height = 6, properties = { title = "Replication lag (ms)", region = data.aws_region.current.name, stat = "Maximum", period = 60,
      metrics = [[var.metrics_namespace, "ReplicationLagMs", "Pipeline", var.pipeline_name]] } },
      { type = "metric", x = 12, y = 0, width = 12, height = 6, properties = { title = "Changes and full-load rows per minute", region = data.aws_region.current.name, stat = "Sum", period = 60,
      metrics = [[var.metrics_namespace, "ChangesReplicated", "Pipeline", var.pipeline_name], [var.metrics_namespace, "FullLoadRows", "Pipeline", var.pipeline_name]] } },
      { type = "metric", x = 0, y = 6, width = 12, height = 6, properties = { title = "Errors and restarts", region = data.aws_region.current.name, stat = "Sum", period = 60,
      metrics = [[var.metrics_namespace, "Errors", "Pipeline", var.pipeline_name], [var.metrics_namespace, "Restarts", "Pipeline", var.pipeline_name]] } }
    ]
  })
}

resource "aws_cloudwatch_metric_alarm" "lag" {
  alarm_name          = "${local.name}-lag"
  alarm_description   = "DataFlow replication lag above the threshold for 5 minutes."
  namespace           = var.metrics_namespace
  metric_name         = "ReplicationLagMs"
  dimensions          = { Pipeline = var.pipeline_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.lag_alarm_threshold_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${local.name}-errors"
  alarm_description   = "DataFlow restarted after errors (lost connections, storage outages) in the last 5 minutes."
  namespace           = var.metrics_namespace
  metric_name         = "Errors"
  dimensions          = { Pipeline = var.pipeline_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
}
