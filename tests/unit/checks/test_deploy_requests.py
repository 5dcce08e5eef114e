"""What deploying a template asks AWS for: ARNs in the stack's partition, cross-stack reads, handler calls."""
from __future__ import annotations

import pytest

from landing_zone.checks.deploy_requests import (
    STACK_ID,
    Call,
    deploy_role_calls,
    exec_calls,
    publishing_calls,
    resource_arn,
    stack_output_calls,
)


@pytest.mark.parametrize("region, arn", [
    ("us-east-1", "aws"),
    ("us-gov-west-1", "aws-us-gov"),
], ids=["commercial", "govcloud"])
def test_deploy_and_publishing_calls_name_the_stack_partition(region, arn):
    calls = list(deploy_role_calls("acme-audit", "333333333333", region, "lzdeploy"))
    calls += list(publishing_calls("333333333333", region, "lzdeploy"))
    assert {c.resource.split(":")[1] for c in calls} == {arn}
    assert Call("iam:PassRole", f"arn:{arn}:iam::333333333333:role/cdk-lzdeploy-cfn-exec-role-333333333333-{region}",
                why="cdk deploy passes the CloudFormation execution role") in calls
    assert Call("s3:PutObject", f"arn:{arn}:s3:::cdk-lzdeploy-assets-333333333333-{region}/asset.zip",
                why="asset publishing") in calls


def test_stack_outputs_are_read_in_the_producing_stack_region():
    template = {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"Rules": [{"Key": {
            "Fn::GetStackOutput": {"StackName": "acme-keys-us-east-1", "OutputName": "KeyArn",
                                   "Region": "us-east-1"}}}]}}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {
            "Fn::GetStackOutput": {"StackName": "acme-keys-eu-west-1", "OutputName": "KeyArn"}}}},
        "Plain": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "plain"}},
    }}
    calls = list(stack_output_calls(template, "222222222222", "eu-west-1"))
    assert calls == [
        Call("cloudformation:DescribeStacks",
             f"arn:aws:cloudformation:us-east-1:222222222222:stack/acme-keys-us-east-1/{STACK_ID}",
             "Bucket", "Fn::GetStackOutput"),
        Call("cloudformation:DescribeStacks",
             f"arn:aws:cloudformation:eu-west-1:222222222222:stack/acme-keys-eu-west-1/{STACK_ID}",
             "Topic", "Fn::GetStackOutput"),
    ]


@pytest.mark.parametrize("kind, properties, region, expected", [
    ("AWS::IAM::Role", {"RoleName": "acme-reader", "Path": "/lz/"}, "us-east-1",
     "arn:aws:iam::111111111111:role/lz/acme-reader"),
    ("AWS::S3::Bucket", {"BucketName": {"Fn::Sub": "acme-logs-${AWS::AccountId}-${AWS::Region}"}}, "us-gov-west-1",
     "arn:aws-us-gov:s3:::acme-logs-111111111111-us-gov-west-1"),
    ("AWS::SSM::Parameter", {"Name": "lz/version"}, "eu-west-1",
     "arn:aws:ssm:eu-west-1:111111111111:parameter/lz/version"),
    ("AWS::S3::Bucket", {"BucketName": {"Ref": "Name"}}, "us-east-1", None),
    ("AWS::EC2::VPC", {}, "us-east-1", None),
], ids=["role-path", "sub-govcloud", "parameter-slash", "unknown-name", "no-arn-known"])
def test_resource_arns_known_offline(kind, properties, region, expected):
    assert resource_arn(kind, properties, "111111111111", region) == expected


def test_a_retained_resource_asks_for_no_delete():
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "acme-logs"}}
    kept = dict(bucket, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    plain = {c.action for c in exec_calls({"Resources": {"B": bucket}}, "111111111111", "us-east-1")}
    retained = {c.action for c in exec_calls({"Resources": {"B": kept}}, "111111111111", "us-east-1")}
    assert "s3:DeleteBucket" in plain
    assert "s3:DeleteBucket" not in retained
    assert "s3:CreateBucket" in retained
