"""The gateway's job queue runner: starts queued jobs on their Rasa server and fails the overdue ones."""

from __future__ import annotations

from starlette.datastructures import State


async def run_job_queue(state: State) -> None:
    """Run until cancelled."""
