"""The documents API: resumable uploads first (their literal path beats the document id), then documents."""

from .documents import documents_router
from .uploads import uploads_router

routers = [uploads_router, documents_router]
