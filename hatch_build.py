"""Build hook: the wheel carries each translation compiled (``.mo``), so an
installed app never needs to compile one on first start. A source checkout
compiles them on first use instead (:func:`coach.core.i18n.compile_catalogue`,
the same Babel call)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out = Path(self.directory) / "catalogues"
        for po in sorted(Path(self.root, "coach", "locale").glob("*/LC_MESSAGES/coach.po")):
            with po.open("rb") as stream:
                catalogue = read_po(stream)
            buffer = io.BytesIO()
            write_mo(buffer, catalogue, use_fuzzy=False)
            relative = po.with_suffix(".mo").relative_to(self.root)
            mo = out / relative
            mo.parent.mkdir(parents=True, exist_ok=True)
            mo.write_bytes(buffer.getvalue())
            build_data["force_include"][str(mo)] = str(relative)
