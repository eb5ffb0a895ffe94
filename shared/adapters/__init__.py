"""The real ports: boto3 and httpx live here and nowhere else in shared/."""
