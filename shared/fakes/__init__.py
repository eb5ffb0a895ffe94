"""In-memory ports for unit tests: same behaviour as the adapters, no sockets."""
