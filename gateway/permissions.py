"""The permissions an endpoint can require and the built-in roles that grant them (RASA_X_API.md §5).

A permission is `<category>.<view|modify>.<scope>`, as in Rasa X. The built-in roles are defined here, in code,
and written to storage at every gateway start; roles an admin creates live only in storage.
"""

from __future__ import annotations

from types import MappingProxyType

# Own profile, statistics, chatting with the bot.
USER_GET = "basic.view.user.get"
USER_UPDATE = "basic.modify.user.update"
USER_PASSWORD_UPDATE = "basic.modify.user.password.update"
STATISTICS_GET = "basic.view.statistics.get"

# Users and roles.
USERS_LIST = "advanced.view.users.list"
USERS_CREATE = "advanced.modify.users.create"
USERS_UPDATE = "advanced.modify.users.update"
USERS_DELETE = "advanced.modify.users.delete"
ROLES_LIST = "advanced.view.roles.list"
ROLES_CREATE = "advanced.modify.roles.create"
ROLES_UPDATE = "advanced.modify.roles.update"
ROLES_DELETE = "advanced.modify.roles.delete"

# Conversations. METADATA_LIST sees everyone's conversations; METADATA_GET alone sees only one's own.
METADATA_LIST = "conversations.view.metadata.list"
METADATA_GET = "conversations.view.metadata.get"
METADATA_DELETE = "conversations.modify.metadata.delete"
CONVERSATIONS_EXPORT = "conversations.view.metadata.export"
TAGS_LIST = "conversations.view.conversationTags.list"
TAGS_CREATE = "conversations.modify.conversationTags.create"
TAGS_DELETE = "conversations.modify.conversationTags.delete"
MESSAGE_FLAGS_UPDATE = "conversations.modify.messageFlags.update"
REVIEW_STATUS_UPDATE = "conversations.modify.conversationReviewStatus.update"

# NLU training data: the inbox and intent corrections.
LOGS_LIST = "nlu_training_data.view.logs.list"
LOGS_CREATE = "nlu_training_data.modify.logs.create"
LOGS_DELETE = "nlu_training_data.modify.logs.delete"
MESSAGE_INTENTS_UPDATE = "nlu_training_data.modify.messageIntents.update"

# Models. Rasa servers pulling a model may instead send the shared Rasa token (gateway/rasa_token.py).
MODELS_LIST = "models.view.models.list"
MODELS_GET = "models.view.models.get"
MODELS_CREATE = "models.modify.models.create"
MODELS_DELETE = "models.modify.models.delete"
MODEL_TAGS_UPDATE = "models.modify.models.tags.update"

ALL_PERMISSIONS: tuple[str, ...] = tuple(
    value for name, value in sorted(globals().items()) if name.isupper() and isinstance(value, str)
)


def _category(*categories: str) -> frozenset[str]:
    return frozenset(p for p in ALL_PERMISSIONS if p.split(".", 1)[0] in categories)


def _prefixed(prefix: str) -> frozenset[str]:
    return frozenset(p for p in ALL_PERMISSIONS if p.startswith(prefix))


BUILT_IN_ROLES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "admin": frozenset(ALL_PERMISSIONS),
        "annotator": _category("basic", "test_conversation", "nlu_training_data")
        | _prefixed("models.view.")
        | {METADATA_GET},
        "tester": _category("basic", "test_conversation") | _prefixed("models.view."),
        # Share-your-bot guests; they never have a stored user.
        "guest": _category("basic", "test_conversation"),
    }
)
ROLE_DESCRIPTIONS = MappingProxyType(
    {
        "admin": "Everything, including users and roles.",
        "annotator": "Annotates NLU data and reads the conversations they created.",
        "tester": "Talks to the bot and sees the models.",
        "guest": "A share-your-bot guest: talks to the bot in their own conversation.",
    }
)
DEFAULT_ROLE = "annotator"
