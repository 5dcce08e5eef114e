"""The only package that imports aws_cdk or constructs: turns a Plan into CDK stacks."""
import os

# jsii prints a Node end-of-life banner on every start under Node 20 (the Makefile silences it too; README.md).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# cdk-nag's AwsSolutions-EVB1 reads CfnEventBusPolicy's deprecated `principal` on every synthesis: the
# warning is about cdk-nag, not about the templates. Our own constructs are held to no deprecated API by
# tests/synth/test_cdk_cli.py, which synthesizes under JSII_DEPRECATED=fail without cdk-nag.
os.environ.setdefault("JSII_DEPRECATED", "quiet")
