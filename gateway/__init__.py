"""gateway: the HTTP face of Conversely (Rasa X-compatible /api, UI, Rasa callbacks), a gRPC client inside."""
