# Native AWS DMS beside DataFlow, with Terraform: the same resources and settings as
# deploy/cloudformation/dms-tasks.yaml (deploy/test/dms-parity.test.mjs checks it). It takes the lake bucket, the KMS
# key and the source secret from the DataFlow deployment (deploy/terraform's outputs), as the CloudFormation stack
# takes them from dataflow-stack.yaml's exports. `dataflow iac --config pipeline.yaml --format terraform` prints the
# pipeline_name and table_mappings variables.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
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

data "aws_partition" "current" {}

data "aws_secretsmanager_secret_version" "source" {
  secret_id = var.source_secret_arn
}

locals {
  name      = "dataflow-${var.pipeline_name}-${var.environment}"
  partition = data.aws_partition.current.partition
  source    = jsondecode(data.aws_secretsmanager_secret_version.source.secret_string)
  # every role here is assumed by DMS
  dms_assume_role = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dms.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# ------------------------------------------------------------------------------------------------ account-wide roles
resource "aws_iam_role" "dms_vpc" {
  count = var.create_dms_vpc_role == "true" ? 1 : 0
  name  = "dms-vpc-role"
  assume_role_policy = local.dms_assume_role
  managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"]
}

resource "aws_iam_role" "dms_cloudwatch_logs" {
  count = var.create_dms_cloud_watch_logs_role == "true" ? 1 : 0
  name  = "dms-cloudwatch-logs-role"
  assume_role_policy = local.dms_assume_role
  managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole"]
}

# ------------------------------------------------------------------------------------------------ network
resource "aws_dms_replication_subnet_group" "dms" {
  replication_subnet_group_id          = "${local.name}-dms"
  replication_subnet_group_description = "DataFlow ${var.pipeline_name} ${var.environment} DMS subnets"
  subnet_ids                           = var.subnet_ids
}

resource "aws_security_group" "dms" {
  name_prefix = "${local.name}-dms-"
  description = "DMS replication instance; outbound only."
  vpc_id      = var.vpc_id
  egress {
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["0.0.0.0/0"]
    description = "source database and S3"
  }
}

# ------------------------------------------------------------------------------------------------ replication
resource "aws_dms_replication_instance" "dms" {
  replication_instance_id     = "${local.name}-dms"
  replication_instance_class  = var.replication_instance_class
  allocated_storage           = 50
  multi_az                    = var.multi_az == "true"
  publicly_accessible         = false
  kms_key_arn                 = var.kms_key_arn
  replication_subnet_group_id = aws_dms_replication_subnet_group.dms.id
  vpc_security_group_ids      = [aws_security_group.dms.id]
}

resource "aws_iam_role" "s3_access" {
  name_prefix = "${local.name}-dms-s3-"
  assume_role_policy = local.dms_assume_role
}

resource "aws_iam_role_policy" "dms_raw_zone" {
  name = "dms-raw-zone"
  role = aws_iam_role.s3_access.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"], Resource = "${var.lake_bucket_arn}/raw/*" },
      { Effect = "Allow", Action = ["s3:ListBucket"], Resource = var.lake_bucket_arn },
      { Effect = "Allow", Action = ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], Resource = var.kms_key_arn },
    ]
  })
}

resource "aws_iam_role_policy" "dms_source_secret" {
  name = "dms-source-secret"
  role = aws_iam_role.s3_access.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = var.source_secret_arn }]
  })
}

resource "aws_dms_endpoint" "source" {
  endpoint_id   = "${local.name}-source"
  endpoint_type = "source"
  engine_name   = var.source_engine
  server_name   = var.source_server
  port          = var.source_port
  database_name = var.source_database
  username      = local.source.username
  password      = local.source.password
  ssl_mode      = "require"
}

resource "aws_dms_endpoint" "target" {
  endpoint_id   = "${local.name}-raw-zone"
  endpoint_type = "target"
  engine_name   = "s3"
  s3_settings {
    bucket_name             = var.lake_bucket_name
    bucket_folder           = "raw/${var.pipeline_name}"
    service_access_role_arn = aws_iam_role.s3_access.arn
    compression_type        = "NONE"
  }
  extra_connection_attributes = "dataFormat=parquet;parquetVersion=PARQUET_2_0;includeOpForFullLoad=true;timestampColumnName=_commit_ts;cdcInsertsAndUpdates=false;datePartitionEnabled=true;datePartitionSequence=YYYYMMDD;datePartitionDelimiter=SLASH;encryptionMode=SSE_KMS;serverSideEncryptionKmsKeyId=${var.kms_key_arn}"
}

resource "aws_dms_replication_task" "dms" {
  replication_task_id       = "${local.name}-task"
  migration_type            = "full-load-and-cdc"
  replication_instance_arn  = aws_dms_replication_instance.dms.replication_instance_arn
  source_endpoint_arn       = aws_dms_endpoint.source.endpoint_arn
  target_endpoint_arn       = aws_dms_endpoint.target.endpoint_arn
  table_mappings            = var.table_mappings
  replication_task_settings = "{\"Logging\": {\"EnableLogging\": true}, \"FullLoadSettings\": {\"TargetTablePrepMode\": \"DO_NOTHING\"}}"
}
