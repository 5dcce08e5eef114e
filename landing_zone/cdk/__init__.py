"""The only package that imports aws_cdk or constructs: turns a Plan into CDK stacks."""
import os

# jsii prints a Node end-of-life banner on every start under Node 20 (DESIGN.md §9).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
