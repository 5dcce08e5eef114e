"""Custom-resource Lambda handlers (stdlib + boto3 only) for what CloudFormation has no resource for."""

# Each handler module is self-contained on purpose: Lambda loads it as a top-level module from
# this folder, so handlers never import each other (tests/unit/handlers/test_lambda_packaging.py).
# The few lines they repeat (silencing botocore's wire logging, formatting a ClientError) are the
# price of that; keep the copies identical when changing one.
