"""The local stack: moto, an API Gateway stand-in, an SQS event source mapping and a scheduler, on loopback."""
