"""The NLU training data as a whole, as Rasa project files hold it: imported in one go and exported in one go."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage_service.models import DomainIntent, RegexFeature, TrainingExample
from storage_service.queries import intents, nlu_features, training_examples
from storage_service.queries.training_examples import ExampleData
from storage_service.rasa_yaml.nlu import Example, NluData


def import_nlu(session: Session, data: NluData, replace: bool, annotator: str | None, at: float) -> None:
    """Store `data` in the open transaction (no commit), its examples annotated by `annotator` at `at`.

    replace=True: examples, synonyms, regexes and lookup tables are all replaced by data's (a kind data has none
    of is emptied too). replace=False: examples with the same text are replaced, others kept; synonyms are merged
    by reference (a value mapped to another reference moves to data's); regexes are added unless the same (name,
    pattern) is stored; lookup tables with the same name are replaced. Either way the examples' intents the domain
    does not list are appended to it. Raises InvalidRequest for an example that cannot be stored.
    """
    examples = [ExampleData(e.text, e.intent, e.entities, e.metadata, annotator, at) for e in data.examples]
    if replace:
        training_examples.replace_examples(session, examples)
        nlu_features.delete_all_synonyms(session)
        nlu_features.delete_all_regexes(session)
        nlu_features.delete_all_lookup_tables(session)
    else:
        training_examples.merge_examples(session, examples)
    for reference, values in data.synonyms.items():
        nlu_features.map_values(session, nlu_features.synonym_id_for(session, reference), values, move=True)
    nlu_features.add_regexes(session, data.regexes)
    for name, elements in data.lookups.items():
        nlu_features.set_lookup_table(session, name, elements)
    # A retrieval intent's examples name it with their response key (`faq/ask_name`); its domain declares `faq`.
    intents.append_domain_intents(session, dict.fromkeys(example.intent.split("/")[0] for example in data.examples))


def export_nlu(session: Session) -> NluData:
    """Everything stored, in a deterministic order (by code point, whatever the database's collation): intents in
    domain order then by name, examples by text within an intent, synonyms by reference (values in the order they
    were mapped), regexes by name then id, lookup tables by name."""
    positions = dict(session.execute(select(DomainIntent.name, DomainIntent.position)).all())
    rows = session.execute(
        select(TrainingExample.text, TrainingExample.intent, TrainingExample.entities, TrainingExample.example_metadata)
    ).all()
    ordered = sorted(
        rows, key=lambda row: (row.intent not in positions, positions.get(row.intent, 0), row.intent, row.text)
    )
    examples = [
        Example(row.text, row.intent, json.loads(row.entities), json.loads(row.example_metadata or "null"))
        for row in ordered
    ]
    synonyms = {
        synonym.reference: [value.value for value in synonym.values]
        for synonym in sorted(nlu_features.list_synonyms(session), key=lambda synonym: synonym.reference)
    }
    regex_rows = session.execute(select(RegexFeature.id, RegexFeature.name, RegexFeature.pattern)).all()
    regexes = [(row.name, row.pattern) for row in sorted(regex_rows, key=lambda row: (row.name, row.id))]
    lookups = {
        lookup.name: lookup.elements
        for lookup in sorted(nlu_features.all_lookup_tables(session), key=lambda lookup: lookup.name)
    }
    return NluData(examples, synonyms, regexes, lookups)
