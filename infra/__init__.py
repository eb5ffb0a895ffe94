"""Infrastructure as code: the CDK app that deploys xero-sync (infra/cdk)."""
