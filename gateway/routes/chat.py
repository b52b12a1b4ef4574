"""Talk to your bot and share your bot: chat messages to Rasa's `rasa` channel, the chat token, guest tokens."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
