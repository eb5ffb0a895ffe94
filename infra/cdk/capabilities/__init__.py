"""One construct per capability of the service, composed by infra/cdk/stack.py."""
