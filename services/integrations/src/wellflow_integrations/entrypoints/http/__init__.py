"""The integrations API: durable feeds and webhooks."""

from .feeds import feeds_router
from .webhooks import webhooks_router

routers = [feeds_router, webhooks_router]
