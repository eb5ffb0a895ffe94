"""The CDK app: one stack composing one construct per capability (infra/cdk/README.md)."""
