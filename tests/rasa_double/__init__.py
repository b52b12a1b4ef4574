"""An in-process test double of a Rasa Open Source 3.6.21 server, following DESIGN.md §3 and rasa/server.py.

with RasaDouble(gateway_url=gateway, sink=sql_broker_sink(db_path)) as rasa:
    ...  # point the gateway at rasa.url; read rasa.train_requests, rasa.wait_for_callbacks(1), ...
"""

from tests.rasa_double.behaviour import Callback, RasaBehaviour, RecordedRequest
from tests.rasa_double.events import Sink, sql_broker_sink, storage_sink
from tests.rasa_double.server import BackgroundServer, RasaDouble

__all__ = [
    "BackgroundServer",
    "Callback",
    "RasaBehaviour",
    "RasaDouble",
    "RecordedRequest",
    "Sink",
    "sql_broker_sink",
    "storage_sink",
]
