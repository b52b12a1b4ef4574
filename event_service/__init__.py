"""event_service: ingests Rasa's events (RabbitMQ, Rasa's SQL event broker table, gRPC) into storage."""
