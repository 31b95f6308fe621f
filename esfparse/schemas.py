"""JSON Schemas generated from the pydantic models (committed under schemas/, drift-tested)."""

from __future__ import annotations

import json

from .models import MODELS


def schema_files() -> dict[str, str]:
    """File name -> JSON Schema text for every public model."""
    return {
        f"{name}.schema.json": json.dumps(
            model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True
        )
        + "\n"
        for name, model in MODELS.items()
    }
