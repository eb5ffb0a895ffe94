"""Behaviour every implementation of a port must show, written once: the in-memory fakes run it in
tests/unit, the AWS adapters against moto in tests/integration, so a fake cannot drift from its adapter."""
