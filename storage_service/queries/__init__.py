"""SQL of storage_service, one module per area. Handlers call these; nothing else writes SQL."""
