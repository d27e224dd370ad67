"""`secret-in-output`: credentials visible in a saved output or stored in metadata.

A notebook saved with its outputs carries whatever the kernel printed: `!env`, `print(os.environ)`,
a config dump, a client's repr with its key, a traceback quoting a connection string. Those
travel with every copy of the file even when the code reads the secret properly. Outputs are
scanned with the same detectors as code (`secrets.scan_text`, through `scan_long_text`), which
need a provider prefix, a fixed structure or a credential name next to the value, so hashes,
random ids and base64 blobs are not reported; images are never read. Metadata strings are
scanned the same way, and a string stored under a credential-like key (`"api_key": "..."` in
papermill parameters) is judged like a literal bound to such a name. Messages mask the value.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..analysis import NotebookContext
from ..findings import Part
from ..notebook_content import MetadataString, OutputText
from ..secrets import is_credential_name, looks_like_secret_value, mask
from .base import Checker, ContentViolation
from .content_secrets import scan_long_text

_ADVICE = "clear the output, rotate the credential, and print or store only masked values"
_METADATA_ADVICE = "remove it from the metadata, rotate the credential, and pass it at run time"
#: Findings of one notebook at most: past this the reader has the point.
_MAX_PER_NOTEBOOK = 50


class SecretInOutput(Checker):
    name = "secret-in-output"

    def check(self, ctx: NotebookContext) -> Iterable[ContentViolation]:
        content = ctx.document.content
        found = 0
        for run in content.runs:
            seen: set[tuple[int, str]] = set()
            for output in run.outputs:
                for match in scan_long_text(output.text):
                    if (output.index, match.value) in seen:
                        continue  # the same value in the text/html twin of a text/plain
                    seen.add((output.index, match.value))
                    line, column = output.position(match.start)
                    end_line, end_column = output.position(match.end)
                    yield ContentViolation(
                        run.index,
                        run.cell_id,
                        f"{match.description} {mask(match.value)!r} is saved in the cell's "
                        f"{_shown(output)}; {_ADVICE}",
                        span=(line, column, end_line, end_column),
                        part=Part.OUTPUT,
                        output=output.index,
                    )
                    found += 1
                    if found >= _MAX_PER_NOTEBOOK:
                        return
        for item in content.metadata:
            violation = _metadata_secret(item)
            if violation is not None:
                yield violation
                found += 1
                if found >= _MAX_PER_NOTEBOOK:
                    return


def _shown(output: OutputText) -> str:
    if output.kind == "stream":
        return "printed output"
    if output.kind == "error":
        return "traceback"
    return f"{output.kind} output"


def _metadata_secret(item: MetadataString) -> ContentViolation | None:
    where = "notebook metadata" if item.cell_index is None else "cell metadata"
    for match in scan_long_text(item.value, limit=1):
        end = _position(item.value, match.end)
        return ContentViolation(
            item.cell_index,
            item.cell_id,
            f"{match.description} {mask(match.value)!r} is stored in the {where} at "
            f"`{item.dotted}`; {_METADATA_ADVICE}",
            span=(*_position(item.value, match.start), *end),
            part=Part.METADATA,
        )
    key = item.key
    if key is None or not is_credential_name(key) or not looks_like_secret_value(item.value, key):
        return None
    return ContentViolation(
        item.cell_index,
        item.cell_id,
        f"secret {mask(item.value)!r} is stored in the {where} at `{item.dotted}`; "
        f"{_METADATA_ADVICE}",
        span=(1, 1, *_position(item.value, len(item.value))),
        part=Part.METADATA,
    )


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
