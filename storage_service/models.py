"""Conversely's tables. migration_service's alembic revisions create exactly these (a test checks)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigIntegerId = BigInteger().with_variant(Integer(), "sqlite")
Double = Float(precision=53)


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """One row per Rasa sender, with the aggregates the conversation list shows and filters on."""

    __tablename__ = "conversation"

    sender_id: Mapped[str] = mapped_column(Text, primary_key=True)
    latest_event_time: Mapped[float] = mapped_column(Double, nullable=False)
    latest_input_channel: Mapped[str | None] = mapped_column(Text)
    # Decides which user event's channel is the latest when batches arrive out of timestamp order.
    latest_user_event_time: Mapped[float | None] = mapped_column(Double)
    number_user_messages: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    number_events: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    minimum_action_confidence: Mapped[float | None] = mapped_column(Double)
    maximum_action_confidence: Mapped[float | None] = mapped_column(Double)
    minimum_intent_confidence: Mapped[float | None] = mapped_column(Double)
    maximum_intent_confidence: Mapped[float | None] = mapped_column(Double)
    has_flagged_messages: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    interactive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    number_bot_messages: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    review_status: Mapped[str] = mapped_column(
        String(16), nullable=False, default="unread", server_default=text("'unread'")
    )
    in_training_data: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    created_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_conversation_latest_event_time", "latest_event_time"),)


# Rasa X's "by confidence" order, used only among conversations not in the training data: highest minimum action
# confidence first, unknown ones (-1) last, then newest. PostgreSQL only, like the trigram index below.
CONFIDENCE_ORDER = func.coalesce(Conversation.minimum_action_confidence, literal_column("-1"))
Index(
    "ix_conversation_confidence_order",
    CONFIDENCE_ORDER.desc(),
    Conversation.latest_event_time.desc(),
    Conversation.sender_id,
    postgresql_where=Conversation.in_training_data.is_(False),
)


class ConversationEvent(Base):
    """A Rasa event, its JSON kept exactly as received, plus the columns queries need."""

    __tablename__ = "conversation_event"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    # No foreign key to conversation: events are inserted first, so one upsert can count only the new ones.
    sender_id: Mapped[str] = mapped_column(Text, nullable=False)
    # Digest of sender and content: a redelivered or republished event has the same key and is stored once.
    event_key: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    type_name: Mapped[str] = mapped_column(Text, nullable=False)
    timestamp: Mapped[float] = mapped_column(Double, nullable=False)
    intent_name: Mapped[str | None] = mapped_column(Text)
    action_name: Mapped[str | None] = mapped_column(Text)
    policy: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Double)
    rasa_environment: Mapped[str] = mapped_column(Text, nullable=False)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    # A user message's text, for the conversation list's text filter.
    text: Mapped[str | None] = mapped_column(Text)
    is_flagged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())

    __table_args__ = (Index("ix_conversation_event_sender_timestamp", "sender_id", "timestamp", "id"),)


# The conversation list's text filter, lower(text) LIKE '%...%', as a trigram index. PostgreSQL only, and only where
# the pg_trgm extension can be created (the migration checks); alembic does not compare expression indexes on SQLite.
Index(
    "ix_conversation_event_text_trgm",
    func.lower(ConversationEvent.text).label("text_lower"),
    postgresql_using="gin",
    postgresql_ops={"text_lower": "gin_trgm_ops"},
    postgresql_where=ConversationEvent.text.is_not(None),
)


class ConversationAttribute(Base):
    """The distinct intents, entities, actions, policies, slots (`name:value`) and environments of a conversation.

    One table for all kinds: each filter of the conversation list is one indexed lookup on (kind, value).
    """

    __tablename__ = "conversation_attribute"

    sender_id: Mapped[str] = mapped_column(
        Text, ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(Text, primary_key=True)

    # Covers the filters (kind, value IN ...) and their counts without reading the table; text_pattern_ops lets
    # PostgreSQL serve a slot's "name:%" prefix from it whatever the database's collation. On PostgreSQL the
    # migration also creates joint statistics on (kind, value), which SQLAlchemy cannot declare.
    __table_args__ = (
        Index(
            "ix_conversation_attribute_kind_value_sender",
            "kind",
            "value",
            "sender_id",
            postgresql_ops={"value": "text_pattern_ops"},
        ),
    )


class MessageLog(Base):
    """Rasa X's NLU inbox: user messages, one row per distinct text, showing its latest prediction."""

    __tablename__ = "message_log"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    hash: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)  # md5 of the text, as Rasa X
    text: Mapped[str] = mapped_column(Text, nullable=False)
    intent: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Double)
    user_input: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: {text, intent, intent_ranking, entities}
    conversation_id: Mapped[str] = mapped_column(Text, nullable=False)
    event_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    time: Mapped[float] = mapped_column(Double, nullable=False)
    model: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_message_log_time", "time"),)


class ConversationTag(Base):
    """A coloured label reviewers put on conversations."""

    __tablename__ = "conversation_tag"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    color: Mapped[str] = mapped_column(String(6), nullable=False)

    # Clients keep tag ids (filters, open pages): a deleted tag's id must not come back as another tag's.
    __table_args__ = ({"sqlite_autoincrement": True},)


class ConversationTagAssignment(Base):
    __tablename__ = "conversation_tag_assignment"

    sender_id: Mapped[str] = mapped_column(
        Text, ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("conversation_tag.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_conversation_tag_assignment_tag_id", "tag_id"),)


class MessageCorrection(Base):
    """The intent a reviewer gave one user message of a conversation (the message is named by its timestamp)."""

    __tablename__ = "message_correction"

    sender_id: Mapped[str] = mapped_column(
        Text, ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
    )
    message_timestamp: Mapped[float] = mapped_column(Double, primary_key=True)
    intent: Mapped[str] = mapped_column(Text, nullable=False)
    mapped_to: Mapped[str | None] = mapped_column(Text)
    user_goal: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(Text, primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    api_token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    data: Mapped[str] = mapped_column(Text, nullable=False)  # JSON object
    created_at: Mapped[float] = mapped_column(Double, nullable=False)


class Role(Base):
    __tablename__ = "role"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    grants: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of permission strings
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())


class UserRole(Base):
    __tablename__ = "user_role"

    username: Mapped[str] = mapped_column(
        Text, ForeignKey("app_user.username", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(Text, ForeignKey("role.name", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_user_role_role", "role"),)


class StoredModel(Base):
    """A trained Rasa model: its archive lives in the models folder as <name>.tar.gz; this row says what it is."""

    __tablename__ = "model"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    trained_at: Mapped[float | None] = mapped_column(Double)
    rasa_version: Mapped[str] = mapped_column(Text, nullable=False)
    model_id: Mapped[str | None] = mapped_column(Text)
    assistant_id: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[float] = mapped_column(Double, nullable=False)

    __table_args__ = (Index("ix_model_uploaded_at", "uploaded_at"),)


class ModelTag(Base):
    """A tag such as "production" on one model: the tag is the primary key, so no two models share it."""

    __tablename__ = "model_tag"

    tag: Mapped[str] = mapped_column(Text, primary_key=True)
    model_name: Mapped[str] = mapped_column(Text, ForeignKey("model.name", ondelete="CASCADE"), nullable=False)

    __table_args__ = (Index("ix_model_tag_model_name", "model_name"),)


class TrainingExample(Base):
    """One NLU example: text, intent and annotated entities (Rasa X's TrainingData)."""

    __tablename__ = "training_example"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    hash: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)  # md5 of the text, as Rasa X
    text: Mapped[str] = mapped_column(Text, nullable=False)
    intent: Mapped[str] = mapped_column(Text, nullable=False)
    entities: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of {start, end, entity, value, role, group}
    example_metadata: Mapped[str | None] = mapped_column("metadata", Text)  # JSON object
    annotator: Mapped[str | None] = mapped_column(Text)
    annotated_at: Mapped[float | None] = mapped_column(Double)

    __table_args__ = (Index("ix_training_example_intent_text", "intent", "text"), {"sqlite_autoincrement": True})


class TrainingExampleEntity(Base):
    """The entities of an example again, one row each, so examples can be filtered and synonyms counted by them."""

    __tablename__ = "training_example_entity"

    example_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("training_example.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(Text, nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (
        Index("ix_training_example_entity_entity", "entity"),
        Index("ix_training_example_entity_value", "value"),
    )


class DomainIntent(Base):
    """An intent the domain lists, in domain order, with its Rasa properties (use_entities, ignore_entities)."""

    __tablename__ = "domain_intent"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    properties: Mapped[str | None] = mapped_column(Text)  # JSON object, or NULL for a plain name


class UserGoal(Base):
    __tablename__ = "user_goal"

    name: Mapped[str] = mapped_column(Text, primary_key=True)


class UserGoalIntent(Base):
    """An intent's user goal: the intent is the primary key, so it belongs to one goal at most."""

    __tablename__ = "user_goal_intent"

    intent: Mapped[str] = mapped_column(Text, primary_key=True)
    user_goal: Mapped[str] = mapped_column(
        Text, ForeignKey("user_goal.name", ondelete="CASCADE", onupdate="CASCADE"), nullable=False
    )

    __table_args__ = (Index("ix_user_goal_intent_user_goal", "user_goal"),)


class DomainAction(Base):
    """A custom action the domain's `actions:` lists."""

    __tablename__ = "domain_action"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    properties: Mapped[str | None] = mapped_column(Text)  # JSON object, e.g. {send_domain: true}

    __table_args__ = ({"sqlite_autoincrement": True},)


class BotResponse(Base):
    """One variation of a bot response (Rasa's `responses:`): content keys as a JSON object."""

    __tablename__ = "bot_response"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    annotator: Mapped[str | None] = mapped_column(Text)
    annotated_at: Mapped[float | None] = mapped_column(Double)

    __table_args__ = (Index("ix_bot_response_name", "name"), {"sqlite_autoincrement": True})


class ProjectDocument(Base):
    """The rest of the project as whole documents: "config" (config.yml text, comments kept) and "domain" (JSON
    of the domain's other sections: version, entities, slots, forms, session_config, ...)."""

    __tablename__ = "project_document"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)


class EntitySynonym(Base):
    __tablename__ = "entity_synonym"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(Text, nullable=False, unique=True)

    __table_args__ = ({"sqlite_autoincrement": True},)


class EntitySynonymValue(Base):
    """A value mapped to a synonym's reference; a value maps to one reference only."""

    __tablename__ = "entity_synonym_value"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    synonym_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("entity_synonym.id", ondelete="CASCADE"), nullable=False
    )
    value: Mapped[str] = mapped_column(Text, nullable=False, unique=True)

    __table_args__ = (Index("ix_entity_synonym_value_synonym_id", "synonym_id"), {"sqlite_autoincrement": True})


class RegexFeature(Base):
    """One pattern of a regex feature; a name may have several."""

    __tablename__ = "regex_feature"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    pattern: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (Index("ix_regex_feature_name", "name"), {"sqlite_autoincrement": True})


class LookupTable(Base):
    __tablename__ = "lookup_table"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    elements: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of strings

    __table_args__ = ({"sqlite_autoincrement": True},)


class Story(Base):
    """A story, rule or test story: one Rasa 3 YAML block, kept as its parsed JSON so renames can reach it."""

    __tablename__ = "story"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # story | rule | test
    name: Mapped[str] = mapped_column(Text, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of the block: {story|rule: name, steps, ...}
    filename: Mapped[str | None] = mapped_column(Text)
    annotator: Mapped[str | None] = mapped_column(Text)
    annotated_at: Mapped[float | None] = mapped_column(Double)

    __table_args__ = (Index("ix_story_kind_id", "kind", "id"), {"sqlite_autoincrement": True})


class Job(Base):
    """A job run on a Rasa server (training, cross-validation); at most one runs per environment at a time."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)  # training | cross_validation
    state: Mapped[str] = mapped_column(String(16), nullable=False)  # queued | running | succeeded | failed | canceled
    environment: Mapped[str] = mapped_column(Text, nullable=False)
    requested_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[float] = mapped_column(Double, nullable=False)
    started_at: Mapped[float | None] = mapped_column(Double)
    finished_at: Mapped[float | None] = mapped_column(Double)
    fingerprint: Mapped[str | None] = mapped_column(Text)
    model_name: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    result_json: Mapped[str | None] = mapped_column(Text)
    folds: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    callback_secret_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_job_state_environment", "state", "environment", "id"),
        Index(
            "ux_job_running_environment",
            "environment",
            unique=True,
            postgresql_where=text("state = 'running'"),
            sqlite_where=text("state = 'running'"),
        ),
        {"sqlite_autoincrement": True},
    )


class ChatToken(Base):
    """The share-your-bot chat token: a single row (id 1)."""

    __tablename__ = "chat_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(Text, nullable=False)
    bot_name: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    expires: Mapped[float] = mapped_column(Double, nullable=False)


class IngestionCheckpoint(Base):
    """How far a polled source (Rasa's SQL event broker table) has been stored."""

    __tablename__ = "ingestion_checkpoint"

    source: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False)
