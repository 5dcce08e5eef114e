"""Custom-resource Lambda handlers (stdlib + boto3 only) for what CloudFormation has no resource for."""
