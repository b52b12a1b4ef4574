"""What every storage servicer shares: one transaction per call, the query cache, errors mapped once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import grpc
import structlog
from google.protobuf.message import Message
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage_service.cache import QueryCache
from storage_service.queries.errors import AlreadyExists, FailedPrecondition, InvalidRequest, NotFound

log = structlog.get_logger()
T = TypeVar("T")
M = TypeVar("M", bound=Message)
# How often a write runs when concurrent writers keep committing the same unique key first.
RACE_ATTEMPTS = 3


@dataclass(frozen=True)
class Database:
    sessions: sessionmaker[Session]
    # Set once migrations are complete; until then every call answers UNAVAILABLE.
    ready: threading.Event
    cache: QueryCache
    # Where model archives are kept (storage_service/model_store.py), and the largest one accepted.
    models_dir: Path
    max_model_bytes: int


class ServicerBase:
    def __init__(self, database: Database) -> None:
        self._database = database

    def _read(self, context: grpc.ServicerContext, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction."""
        return self._in_transaction(context, work)

    def _write(
        self,
        context: grpc.ServicerContext,
        work: Callable[[Session], T],
        changed: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """Run `work` in one transaction; once it has committed, no cached answer predating it is served.

        `changed` tells from the result whether anything a query can see changed; when not, the cache stays.
        """
        result = self._in_transaction(context, work)
        if changed(result):
            self._database.cache.invalidate()
        return result

    def _cached(
        self, context: grpc.ServicerContext, key: str, response_type: type[M], work: Callable[[Session], M]
    ) -> M:
        """The response for `key` from the cache, or computed by `work` in one transaction and cached."""
        payload = self._database.cache.get_or_compute(
            key, lambda: self._in_transaction(context, work).SerializeToString()
        )
        return response_type.FromString(payload)

    def _in_transaction(self, context: grpc.ServicerContext, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, translating failures into gRPC status codes once, here.

        When a concurrent writer commits the same unique name or text first, `work` runs once more in a new
        transaction, where it sees the other's row (a save then replaces it, a create reports it exists).
        """
        if not self._database.ready.is_set():
            abort(context, grpc.StatusCode.UNAVAILABLE, "waiting for database migrations to complete")
        for attempt in range(1, RACE_ATTEMPTS + 1):
            try:
                with self._transaction() as session:
                    return work(session)
            except IntegrityError as error:
                if attempt == RACE_ATTEMPTS:
                    log.warning("write_conflict", error=str(error.orig))
                    abort(context, grpc.StatusCode.ABORTED, "a concurrent change conflicted with this one; retry")
            except NotFound as error:
                abort(context, grpc.StatusCode.NOT_FOUND, str(error))
            except AlreadyExists as error:
                abort(context, grpc.StatusCode.ALREADY_EXISTS, str(error))
            except InvalidRequest as error:
                abort(context, grpc.StatusCode.INVALID_ARGUMENT, str(error))
            except FailedPrecondition as error:
                abort(context, grpc.StatusCode.FAILED_PRECONDITION, str(error))
            except DataError as error:  # a value the database cannot hold, e.g. text with NUL on PostgreSQL
                abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"the database refused a value: {error.orig}")
            except (OperationalError, DBAPIError) as error:
                if isinstance(error, OperationalError) or error.connection_invalidated:
                    log.warning("database_unavailable", error=str(error.orig))
                    abort(context, grpc.StatusCode.UNAVAILABLE, "the database is unavailable; retry later")
                raise
        raise AssertionError("the last attempt returns or aborts")

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._database.sessions() as session, session.begin():
            yield session


def abort(context: grpc.ServicerContext, code: grpc.StatusCode, message: str) -> NoReturn:
    context.abort(code, message)
    raise AssertionError("ServicerContext.abort always raises")


def page_size(context: grpc.ServicerContext, value: int, default: int, maximum: int, name: str) -> int:
    return min(non_negative(context, value, name) or default, maximum)


def non_negative(context: grpc.ServicerContext, value: int, name: str) -> int:
    if value < 0:
        abort(context, grpc.StatusCode.INVALID_ARGUMENT, f"{name} must not be negative")
    return value
