"""Secret detection for the credential rules and for redaction: precise, fast, standard library only.

The rule calls `scan_text` on every string literal of every cell and on the raw text of every
shell escape and magic, so almost every call is on a short, harmless string ("data/train.csv",
"accuracy"); saved outputs and markdown are long and rarely hold a secret. The design follows
from that:

* **Precision first.** A linter that cries wolf gets uninstalled, so there is no generic
  entropy detector: a long base64 run (an inline image, a checksum, a model revision) is not
  a secret by itself. Every detector needs either a provider's fixed prefix (`ghp_`, `hf_`,
  `AKIA`...), a fixed structure (PEM header and body, JWT, `user:password@` in a URL, a
  base64 `Basic` credential that decodes to `user:password`), or a name that says the value
  is a secret (`API_KEY=...`, `--password ...`, `"token": "..."`). Candidates then go through
  the same placeholder and look-alike filters the AST-level rule uses.
* **Speed.** Texts shorter than any secret return at once; every other text is first matched
  against cheap substring triggers, and each detector has its own pre-check, so the expensive
  patterns only run on text, or the lines of it, that could hold what they look for.

The Python-level half of the rule (a literal bound to a name, a keyword argument, a dict key,
`os.environ[...]`) decides the *context* itself and asks `is_credential_name` whether the name
says "secret" and `looks_like_secret_value` whether the literal is a real value rather than a
placeholder, a field name, a path or a reference into a secret manager.

One idea per module:

* `match`: `SecretMatch` and `mask`, the only way a secret is ever shown.
* `names`: whether a name says its value is a credential.
* `placeholders`: documentation values, template holes and stand-ins.
* `shapes`: generated-looking tokens, identifiers and environment-variable names.
* `providers`: the provider token formats, each declared once; the scan derives from them.
* `structured`: private keys, AWS secret keys, URL credentials, bearer/basic auth, JWTs.
* `assignments`: literal values given to credential-named variables, options and headers.
* `values`: whether a literal bound to a credential name or parameter is a real secret.
* `scan`: `scan_text`, all detectors over one text.
"""

from __future__ import annotations

from .match import SecretMatch, mask
from .names import is_credential_name
from .placeholders import is_placeholder
from .providers import PROVIDERS, Provider, providers_markdown
from .scan import readable_spans, scan_text
from .values import looks_like_parameter_secret, looks_like_secret_value

__all__ = [
    "PROVIDERS",
    "Provider",
    "SecretMatch",
    "is_credential_name",
    "is_placeholder",
    "looks_like_parameter_secret",
    "looks_like_secret_value",
    "mask",
    "providers_markdown",
    "readable_spans",
    "scan_text",
]
