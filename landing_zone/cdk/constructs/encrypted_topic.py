"""EncryptedTopic: an SNS topic encrypted with its own rotating customer managed key (or, when the
plan resolved one, a blueprint key by alias ARN, whose key policy lets the publisher use it), a
TLS-only topic policy, one AWS service allowed to publish (from the named sources), and email
subscriptions."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from landing_zone.plan.names import logical_id

# Publishers whose aws:SourceAccount and aws:SourceArn reach KMS with the topic's data key requests.
# EventBridge passes neither to KMS (a condition on them would drop every event): for it the topic
# ARN in the encryption context is the only condition.
PASSES_SOURCE_TO_KMS = frozenset({"cloudwatch.amazonaws.com"})


class EncryptedTopic(Construct):
    def __init__(self, scope: Construct, id_: str, *, topic_name: str, key_alias: str, emails: tuple[str, ...],
                 publisher: str, source_arn: str, key_arn: str | None = None) -> None:
        super().__init__(scope, id_)
        service = iam.ServicePrincipal(publisher)
        self.key: kms.IKey
        if key_arn:
            # SNS KmsMasterKeyId takes an alias ARN (KMS resolves it in the owner's account).
            self.key = kms.Key.from_key_arn(self, "Key", key_arn)
        else:
            self.key = kms.Key(self, "Key", description=f"Encrypts the SNS topic {topic_name}",
                               enable_key_rotation=True, removal_policy=cdk.RemovalPolicy.RETAIN)
            self.key.add_alias(key_alias).apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            # The publishing service encrypts messages with the topic's key, for this topic only (SNS puts
            # the topic ARN in the encryption context of its data keys). The topic ARN is built from its
            # name: a reference to the topic would make key and topic wait for each other.
            topic_arn = f"arn:{cdk.Aws.PARTITION}:sns:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:{topic_name}"
            conditions: dict = {"StringEquals": {"kms:EncryptionContext:aws:sns:topicArn": topic_arn}}
            if publisher in PASSES_SOURCE_TO_KMS:
                conditions["StringEquals"]["aws:SourceAccount"] = cdk.Aws.ACCOUNT_ID
                conditions["ArnLike"] = {"aws:SourceArn": source_arn}
            self.key.add_to_resource_policy(iam.PolicyStatement(
                sid="PublisherUsesKey", principals=[service], actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"], conditions=conditions))
        self.topic = sns.Topic(self, "Topic", topic_name=topic_name, master_key=self.key)
        # Alarms and rules publish to it by ARN; deleting it would silence them and drop every confirmed
        # subscription. Subscriptions are not retained: an address removed from the blueprint stops
        # receiving security notifications.
        self.topic.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            sid="DenyInsecureTransport", effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()],
            actions=["sns:Publish"], resources=[self.topic.topic_arn],
            conditions={"Bool": {"aws:SecureTransport": "false"}}))
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            sid="ServicePublishes", principals=[service], actions=["sns:Publish"],
            resources=[self.topic.topic_arn],
            conditions={"ArnLike": {"aws:SourceArn": source_arn},
                        "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}))
        for email in emails:
            sns.CfnSubscription(self, logical_id("Email", email.lower()), topic_arn=self.topic.topic_arn,
                                protocol="email", endpoint=email)
