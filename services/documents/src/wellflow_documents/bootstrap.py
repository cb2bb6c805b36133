"""The composition root: the runtime, the blob store the settings name, staging and processing of incoming
files, the background jobs, the app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import FastAPI

from wellflow_servicekit.auth import TokenVerifier
from wellflow_servicekit.background import PeriodicTask
from wellflow_servicekit.kernel import Clock, utcnow
from wellflow_servicekit.runtime import ServiceRuntime
from wellflow_servicekit.settings import load_settings_or_exit

from . import __version__
from .adapters.processing import ContentProcessor
from .adapters.staging import LocalStaging
from .adapters.storage import FileSystemStore, S3Store
from .adapters.unit_of_work import SqlDocumentsWork
from .app.common import Documents, Options
from .app.ports import BlobStore
from .app.upkeep import remove_stale_uploads, send_expiry_reminders
from .domain.limits import upload_limit
from .entrypoints.consumers import register_consumers
from .entrypoints.http import routers
from .settings import DocumentsSettings

DESCRIPTION = (
    "The operator's documents: leases, title opinions, division orders, permits, AFEs, JOAs, invoices, run "
    "tickets, field photos and reports; versioned, linked to leases, wells, permits, AFEs, partners, run "
    "tickets, readings and Form PR versions, kept under retention and legal hold, with expiry reminders."
)


def store_from(settings: DocumentsSettings) -> BlobStore:
    if settings.document_storage == "s3":
        secret = settings.s3_secret_access_key
        return S3Store(
            bucket=settings.s3_bucket or "",
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key=settings.s3_access_key_id,
            secret_key=secret.get_secret_value() if secret is not None else None,
            prefix=settings.s3_prefix,
            part_size=settings.s3_part_size_bytes,
            create_bucket=settings.s3_create_bucket,
        )
    return FileSystemStore(settings.storage_folder())


def options_from(settings: DocumentsSettings) -> Options:
    def limit(organization_id: UUID) -> int:
        return upload_limit(
            organization_id,
            plans=settings.document_plan_limits,
            default_plan=settings.document_default_plan,
            organization_plans=settings.document_organization_plans,
            overrides=settings.document_organization_limits,
        )

    return Options(
        upload_limit=limit,
        reminder_days=tuple(settings.document_reminder_days),
        upload_ttl_seconds=settings.document_upload_ttl_hours * 3600,
    )


def create_app(
    settings: DocumentsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    clock: Clock = utcnow,
    store: BlobStore | None = None,
) -> FastAPI:
    """``token_verifier`` and ``store`` default to the real ones the settings name; tests pass their own."""
    settings = settings or load_settings_or_exit(DocumentsSettings)
    runtime = ServiceRuntime(settings, work_type=SqlDocumentsWork)
    blob_store = store or store_from(settings)
    staging = LocalStaging(settings.staging_folder())
    documents = Documents(
        runtime.database,
        store=blob_store,
        staging=staging,
        processor=ContentProcessor(staging),
        options=options_from(settings),
        clock=clock,
    )
    background: list[Any] = []
    if store is None:
        background.append(blob_store)  # S3: opens its client; filesystem: checks and makes its folder
    background += [
        PeriodicTask("expiry-reminders", lambda: send_expiry_reminders(documents),
                     settings.document_reminder_interval, first_after=5),
        PeriodicTask("stale-uploads", lambda: remove_stale_uploads(documents),
                     settings.document_cleanup_interval, first_after=30),
    ]  # fmt: skip
    extra: dict[str, Any] = {"token_verifier": token_verifier} if token_verifier is not None else {}
    return runtime.create_app(
        title="WellFlow documents",
        version=__version__,
        description=DESCRIPTION,
        routers=routers,
        consumers=lambda consumers: register_consumers(consumers, documents),
        background=background,
        state={"documents": documents},
        **extra,
    )
