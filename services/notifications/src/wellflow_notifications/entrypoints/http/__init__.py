"""The notifications API: a member's notifications (the bell) and preferences; the organization's deliveries."""

from .deliveries import deliveries_router
from .mine import mine_router

routers = [mine_router, deliveries_router]
