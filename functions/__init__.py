"""The Lambda functions: each folder is one function (handler, settings, dependencies)."""
