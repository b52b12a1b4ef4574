"""storage_service: the only code that reads or writes Conversely's database, served over gRPC."""
