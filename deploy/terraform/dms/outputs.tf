output "replication_task_arn" {
  value = aws_dms_replication_task.dms.replication_task_arn
}

output "replication_instance_arn" {
  value = aws_dms_replication_instance.dms.replication_instance_arn
}
