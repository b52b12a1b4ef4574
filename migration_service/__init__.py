"""migration_service: brings the schema to this release's version, once, and reports progress."""
