"""One small interface per outside thing. Real adapters live in shared/adapters, fakes in shared/fakes."""
