"""alembic environment: always run by migration_service.runner on a connection it holds (and has locked)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    on_version_apply=context.config.attributes.get("on_version_apply"),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
