"""Built once per started service: settings read once, one set of views for handlers and API."""

from llmops_runtime.service import Built, ServiceResources, Wiring
from prompt_service.api import build_routers
from prompt_service.application import build_registry
from prompt_service.settings import PromptSettings
from prompt_service.views import PromptViews


def bootstrap(resources: ServiceResources) -> Built[PromptViews]:
    """The prompt handlers and routers, with the default prohibited tokens read once."""
    tokens = PromptSettings().prohibited_tokens
    views = PromptViews(resources.pool, resources.schema)
    routers = build_routers(views, resources.store, tokens)
    return Built(views, build_registry(views, tokens), routers)


WIRING = Wiring(bootstrap)
