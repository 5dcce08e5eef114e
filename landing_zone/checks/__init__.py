"""Post-synth checks over templates in cdk.out (pure Python, no aws_cdk)."""
