"""Built once per started service: settings read once, one read model for handlers and API."""

from llmops_runtime.service import Built, ServiceResources, Wiring
from prompt_service.api import build_routers
from prompt_service.application import build_registry
from prompt_service.projections import PostgresPromptReadModel
from prompt_service.settings import PromptSettings


def bootstrap(resources: ServiceResources) -> Built[PostgresPromptReadModel]:
    """The prompt handlers and routers, with the default prohibited tokens read once."""
    tokens = PromptSettings().prohibited_tokens
    reads = PostgresPromptReadModel(resources.pool, resources.schema)
    return Built(reads, build_registry(reads, tokens), build_routers(resources, tokens))


WIRING = Wiring(bootstrap)
