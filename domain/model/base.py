"""The schema's declarative base: every table class is on `metadata` (not SQLModel's global one),
with pydantic's `defer_build`, so importing the schema builds no validator."""

from pydantic import ConfigDict
from sqlalchemy import MetaData
from sqlalchemy.orm import registry
from sqlmodel import SQLModel

metadata = MetaData()


class Base(SQLModel, registry=registry(metadata=metadata)):
    """The schema's table classes: on `metadata` (not SQLModel's global one), validators built
    only if a class is ever validated."""

    model_config = ConfigDict(defer_build=True)
