"""What the functions do, as plain code over domain models and ports."""
