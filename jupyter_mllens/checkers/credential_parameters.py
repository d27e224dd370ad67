"""Which parameters of which APIs take a credential, and which look like one but do not.

A literal passed to `wandb.login(key=...)` or `psycopg2.connect(password=...)` is a secret
whatever it looks like: the parameter says so, so `hardcoded-credentials` reports any literal
there that is not a placeholder, even a short or low-entropy one (`"admin.apikey"`,
`"12345678"`). The reverse also holds: diffusers' `load_textual_inversion(..., token=...)`
takes the trigger word of an embedding (`"EasyNegative"`), not an access token, although
`token` is a credential name everywhere else.

The knowledge is kept here as data, one row per parameter, so adding a client library is one
line. `callable` is matched as a qualified-name prefix: `"openai"` covers every callable in
the package (`openai.OpenAI`, `openai.AzureOpenAI`), `"boto3"` covers `boto3.client`,
`boto3.Session` and `boto3.resource`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CredentialParameter:
    """A parameter that takes a credential: by keyword, or at a position when not named.

    `element` picks one item of a tuple argument: `auth=("user", "password")` has the
    password at element 1.
    """

    callable: str
    keyword: str
    position: int | None = None
    element: int | None = None


def _each(callables: str, keyword: str) -> tuple[CredentialParameter, ...]:
    return tuple(CredentialParameter(name, keyword) for name in callables.split())


#: Credential parameters of experiment trackers, model hubs, LLM and vector-store clients,
#: cloud SDKs and database drivers.
CREDENTIAL_PARAMETERS: tuple[CredentialParameter, ...] = (
    CredentialParameter("wandb.login", "key"),
    CredentialParameter("wandb.Api", "api_key"),
    CredentialParameter("huggingface_hub.login", "token", position=0),
    CredentialParameter("huggingface_hub.HfApi", "token"),
    CredentialParameter("huggingface_hub.HfFolder.save_token", "token", position=0),
    CredentialParameter("comet_ml", "api_key"),
    CredentialParameter("neptune", "api_token"),
    CredentialParameter("argilla", "api_key"),
    CredentialParameter("langsmith", "api_key"),
    CredentialParameter("cohere", "api_key", position=0),
    *_each(
        """
        openai anthropic mistralai groq together litellm google.generativeai google.genai
        llama_index langchain_openai langchain_anthropic langchain_mistralai langchain_cohere
        langchain_groq pinecone qdrant_client tavily replicate voyageai elasticsearch
        """,
        "api_key",
    ),
    CredentialParameter("replicate", "api_token"),
    CredentialParameter("langchain_openai", "openai_api_key"),
    CredentialParameter("langchain_anthropic", "anthropic_api_key"),
    CredentialParameter("langchain_google_genai", "google_api_key"),
    CredentialParameter("boto3", "aws_secret_access_key"),
    CredentialParameter("boto3", "aws_session_token"),
    CredentialParameter("botocore", "aws_secret_access_key"),
    *_each(
        """
        psycopg2 psycopg pymysql mysql.connector redshift_connector sqlalchemy
        snowflake.connector pymongo pyodbc oracledb cx_Oracle pg8000 asyncpg
        """,
        "password",
    ),
    CredentialParameter("pymysql", "passwd"),
    CredentialParameter("mysql.connector", "passwd"),
    CredentialParameter("neo4j", "auth", element=1),
    CredentialParameter("requests", "auth", element=1),
    CredentialParameter("requests.auth.HTTPBasicAuth", "password", position=1),
    CredentialParameter("elasticsearch", "basic_auth", element=1),
    CredentialParameter("opensearchpy", "http_auth", element=1),
)

#: Parameters whose name says "credential" but whose value is not one: (method, keyword).
NOT_CREDENTIAL_PARAMETERS: frozenset[tuple[str, str]] = frozenset(
    {
        ("load_textual_inversion", "token"),  # diffusers: the embedding's trigger word
        ("add_special_tokens", "token"),
    }
)
