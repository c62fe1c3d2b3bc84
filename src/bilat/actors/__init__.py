"""Actors: knowledge base, linking of mentions, dated roles, learned roles, coreference."""
from .coref import Coreference, Trigger
from .learned import LearnedRole, LearnedStore
from .link import ActorLinker, name_key
from .roles import RoleBook, Title, TitleVocab, resolve_role, tenure_day_range, tenure_year_range, to_date

__all__ = [
    "ActorLinker",
    "Coreference",
    "LearnedRole",
    "LearnedStore",
    "RoleBook",
    "Title",
    "TitleVocab",
    "Trigger",
    "name_key",
    "resolve_role",
    "tenure_day_range",
    "tenure_year_range",
    "to_date",
]
