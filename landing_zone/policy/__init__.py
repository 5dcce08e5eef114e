"""Policy documents: build, minify, pack, lint and evaluate IAM, SCP and RCP documents."""
