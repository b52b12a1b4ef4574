"""storage_service's gRPC servicers, one module per service of `conversely.storage.v1`."""
