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
# Chat with the bot in one's own conversation (share-your-bot guests too).
MESSAGES_CREATE = "basic.modify.messages.create"

# Talk to the bot in any conversation, and interactive learning (create, predict, execute, append events). Rasa's
# `rasa` channel knows it as the JWT scope `clientEvents:create`.
CLIENT_EVENTS_CREATE = "test_conversation.modify.clientEvents.create"
CHAT_TOKEN_GET = "test_conversation.view.chatToken.get"
CHAT_TOKEN_UPDATE = "advanced.modify.chatToken.update"

# The Rasa servers of each environment, and the runtime configuration they fetch (gateway/routes/runtime_config.py).
ENVIRONMENTS_LIST = "deployment_environment.view.environments.list"
RUNTIME_CONFIG_GET = "deployment_environment.view.config.get"

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

# NLU training data: examples, intents and user goals, entities, synonyms, regexes, lookup tables.
EXAMPLES_LIST = "nlu_training_data.view.examples.list"
EXAMPLES_CREATE = "nlu_training_data.modify.examples.create"
EXAMPLES_UPDATE = "nlu_training_data.modify.examples.update"
EXAMPLES_DELETE = "nlu_training_data.modify.examples.delete"
INTENTS_LIST = "nlu_training_data.view.intents.list"
INTENTS_CREATE = "nlu_training_data.modify.intents.create"
INTENTS_UPDATE = "nlu_training_data.modify.intents.update"
INTENTS_DELETE = "nlu_training_data.modify.intents.delete"
USER_GOALS_LIST = "nlu_training_data.view.userGoals.list"
USER_GOALS_UPDATE = "nlu_training_data.modify.userGoals.update"
USER_GOALS_DELETE = "nlu_training_data.modify.userGoals.delete"
ENTITIES_LIST = "nlu_training_data.view.entities.list"
SYNONYMS_LIST = "nlu_training_data.view.entity_synonyms.list"
SYNONYMS_CREATE = "nlu_training_data.modify.entity_synonyms.create"
SYNONYMS_UPDATE = "nlu_training_data.modify.entity_synonyms.update"
SYNONYMS_DELETE = "nlu_training_data.modify.entity_synonyms.delete"
REGEXES_LIST = "nlu_training_data.view.regexes.list"
REGEXES_CREATE = "nlu_training_data.modify.regexes.create"
REGEXES_UPDATE = "nlu_training_data.modify.regexes.update"
REGEXES_DELETE = "nlu_training_data.modify.regexes.delete"
LOOKUP_TABLES_LIST = "nlu_training_data.view.lookup_tables.list"
LOOKUP_TABLES_CREATE = "nlu_training_data.modify.lookup_tables.create"
LOOKUP_TABLES_DELETE = "nlu_training_data.modify.lookup_tables.delete"

# Stories, rules and end-to-end test stories.
STORIES_LIST = "stories.view.stories.list"
STORIES_CREATE = "stories.modify.stories.create"
STORIES_UPDATE = "stories.modify.stories.update"
STORIES_DELETE = "stories.modify.stories.delete"
RULES_LIST = "rules.view.rules.list"
RULES_CREATE = "rules.modify.rules.create"
RULES_UPDATE = "rules.modify.rules.update"
RULES_DELETE = "rules.modify.rules.delete"
TEST_STORIES_LIST = "tests.view.tests.list"
TEST_STORIES_CREATE = "tests.modify.tests.create"
TEST_STORIES_UPDATE = "tests.modify.tests.update"
TEST_STORIES_DELETE = "tests.modify.tests.delete"

# Bot responses.
RESPONSES_LIST = "responses.view.responses.list"
RESPONSES_CREATE = "responses.modify.responses.create"
RESPONSES_UPDATE = "responses.modify.responses.update"
RESPONSES_DELETE = "responses.modify.responses.delete"

# The domain, its custom actions, and whole-project import and export.
DOMAIN_GET = "domain.view.domain.get"
DOMAIN_UPDATE = "domain.modify.domain.update"
ACTIONS_LIST = "domain.view.actions.list"
ACTIONS_CREATE = "domain.modify.actions.create"
ACTIONS_UPDATE = "domain.modify.actions.update"
ACTIONS_DELETE = "domain.modify.actions.delete"
PROJECT_EXPORT = "domain.view.project.export"
PROJECT_IMPORT = "domain.modify.project.import"

# Models. Rasa servers pulling a model may instead send the shared Rasa token (gateway/rasa_token.py).
MODELS_LIST = "models.view.models.list"
MODELS_GET = "models.view.models.get"
MODELS_CREATE = "models.modify.models.create"
MODELS_DELETE = "models.modify.models.delete"
MODEL_TAGS_UPDATE = "models.modify.models.tags.update"
# Training and cross-validation jobs on the worker.
MODEL_JOBS_LIST = "models.view.models.jobs.list"
MODEL_JOBS_CREATE = "models.modify.models.jobs.create"
MODEL_JOBS_DELETE = "models.modify.models.jobs.delete"
EVALUATIONS_GET = "models.view.models.evaluations.get"
EVALUATIONS_CREATE = "models.modify.models.evaluations.create"
# The model configuration, config.yml.
SETTINGS_GET = "models.view.settings.get"
SETTINGS_UPDATE = "models.modify.settings.update"

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
        "annotator": _category(
            "basic", "test_conversation", "nlu_training_data", "stories", "rules", "tests", "responses"
        )
        | _prefixed("models.view.")
        | {METADATA_GET},
        "tester": _category("basic", "test_conversation") | _prefixed("models.view."),
        # Share-your-bot guests; they never have a stored user.
        "guest": _category("basic"),
    }
)
ROLE_DESCRIPTIONS = MappingProxyType(
    {
        "admin": "Everything, including users and roles.",
        "annotator": "Edits NLU data, stories, rules, tests and responses; reads the conversations they created.",
        "tester": "Talks to the bot and sees the models.",
        "guest": "A share-your-bot guest: talks to the bot in their own conversation.",
    }
)
DEFAULT_ROLE = "annotator"
