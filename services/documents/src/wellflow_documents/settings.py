"""The documents service's settings: what every service reads (docs/CONVENTIONS.md), where the files go, and
how large and how long they may be."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from wellflow_servicekit.settings import ServiceSettings, split_list

MIB = 1024 * 1024


class DocumentsSettings(ServiceSettings):
    wellflow_home: str | None = Field(default=None, description="the dev stack's home; files go under it by default")
    document_storage: Literal["filesystem", "s3"] = Field(default="filesystem", description="where the files live")
    document_storage_path: str | None = Field(
        default=None, description="the folder of the filesystem store (default: $WELLFLOW_HOME/documents)"
    )
    document_staging_path: str | None = Field(
        default=None,
        description="a local folder for files being received (default: <storage path>/.staging, or "
        "$WELLFLOW_HOME/documents-staging with S3); on the store's file system, keeping a file is a rename",
    )
    s3_bucket: str | None = Field(default=None, description="the bucket (document_storage=s3)")
    s3_endpoint_url: str | None = Field(default=None, description="an S3-compatible endpoint (MinIO ...); unset: AWS")
    s3_region: str = Field(default="us-east-1")
    s3_access_key_id: str | None = Field(default=None, description="unset: the AWS default chain (IAM role ...)")
    s3_secret_access_key: SecretStr | None = Field(default=None)
    s3_prefix: str = Field(default="", description="a key prefix inside the bucket")
    s3_create_bucket: bool = Field(default=False, description="create the bucket at start-up if missing (dev, tests)")
    s3_part_size_bytes: int = Field(default=8 * MIB, ge=5 * MIB, le=512 * MIB)
    document_plan_limits: dict[str, int] = Field(
        default={"standard": 100 * MIB, "professional": 1024 * MIB},
        description="the largest file in bytes of each plan (JSON)",
    )
    document_default_plan: str = Field(default="standard")
    document_organization_plans: dict[str, str] = Field(default={}, description="organization id -> plan (JSON)")
    document_organization_limits: dict[str, int] = Field(
        default={}, description="organization id -> largest file in bytes, over its plan's (JSON)"
    )
    document_reminder_days: Annotated[list[int], NoDecode] = Field(
        default=[60, 30, 7], description="days before an expiration date a reminder is sent, e.g. 60,30,7"
    )
    document_reminder_interval: float = Field(default=3600, ge=0, description="seconds between reminder rounds")
    document_upload_ttl_hours: float = Field(default=24, gt=0, description="hours an unfinished upload is kept")
    document_cleanup_interval: float = Field(default=600, ge=0, description="seconds between upload clean-ups")

    @field_validator("document_reminder_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        return split_list(value)

    @field_validator("document_reminder_days")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(day < 0 or day > 3650 for day in value):
            raise ValueError("each is a number of days from 0 to 3650")
        return sorted(set(value), reverse=True)

    @model_validator(mode="after")
    def _where(self) -> DocumentsSettings:
        if self.document_default_plan not in self.document_plan_limits:
            raise ValueError("document_default_plan must be one of document_plan_limits")
        return self

    def storage_folder(self) -> Path | None:
        """None when neither is set: the store refuses to start, naming the variable (building the app for its
        documents, as ``make schemas`` does, needs neither)."""
        if self.document_storage_path:
            return Path(self.document_storage_path)
        return Path(self.wellflow_home) / "documents" if self.wellflow_home else None

    def staging_folder(self) -> Path:
        if self.document_staging_path:
            return Path(self.document_staging_path)
        folder = self.storage_folder() if self.document_storage == "filesystem" else None
        if folder is not None:
            return folder / ".staging"
        import tempfile

        home = Path(self.wellflow_home) if self.wellflow_home else Path(tempfile.gettempdir())
        return home / "documents-staging"
