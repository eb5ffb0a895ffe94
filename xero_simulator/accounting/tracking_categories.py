"""Routes: tracking_categories (being written)."""
