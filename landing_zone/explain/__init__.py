"""Is this allowed? Offline answers: the organization policies as synthesized, catalog proofs as
requests, decisions by the evaluator (pure Python, no aws_cdk)."""
