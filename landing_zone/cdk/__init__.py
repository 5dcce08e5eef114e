"""The only package that imports aws_cdk or constructs: turns a Plan into CDK stacks."""
