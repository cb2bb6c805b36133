"""Identity's HTTP API: parse, call one use case, shape the answer."""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures in `permitted`.

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from wellflow_servicekit.auth import CurrentPrincipal, Principal
from wellflow_servicekit.pages import Page
from wellflow_servicekit.permissions import Action, Resource, grants
from wellflow_servicekit.problems import Forbidden, Unauthorized

from ..app import access, api_keys, members, organization, profile, sessions
from ..app.context import Caller, Identity
from ..app.sessions.session import Session
from . import profile_schemas, schemas

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def get_identity(request: Request) -> Identity:
    identity: Identity = request.app.state.identity
    return identity


IdentityDep = Annotated[Identity, Depends(get_identity)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _actor(principal: Principal) -> Caller:
    return Caller(
        kind=principal.kind, id=principal.subject, organization_id=principal.organization_id, role=principal.role
    )


def permitted(resource: str, action: str) -> Any:
    """A dependency giving the acting principal as an ``Actor`` with their CURRENT role (from the database, not
    the token), once the matrix allows that role the action (``app/access.py``)."""
    Resource(resource), Action(action)  # a typo fails at import, not per request

    async def actor(principal: CurrentPrincipal, identity: IdentityDep) -> Caller:
        return await access.current_caller(identity, _actor(principal), resource, action)

    return Depends(actor)


def _tokens(session: Session, status: int = 200) -> JSONResponse:
    body = schemas.TokenPairRead.model_validate(session, from_attributes=True)
    body.permissions = grants(body.role)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=NO_STORE)


auth = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@auth.post("/signup", status_code=201, response_model=schemas.TokenPairRead)
async def sign_up(body: schemas.SignUpCreate, identity: IdentityDep) -> JSONResponse:
    session = await sessions.sign_up.sign_up(
        identity,
        organization=body.organization.model_dump(),
        email=body.user.email,
        password=body.user.password,
        full_name=body.user.full_name,
    )
    return _tokens(session, 201)


def client_address(request: Request) -> str:
    """The client's IP for the sign-in limits: the X-Forwarded-For entry of the nearest trusted proxy
    (SIGN_IN_PROXY_HOPS: the gateway, plus the load balancers it trusts), else the connecting peer."""
    peer = request.client.host if request.client else "unknown"
    hops = request.app.state.settings.sign_in_proxy_hops
    entries = [e.strip() for e in (request.headers.get("x-forwarded-for") or "").split(",") if e.strip()]
    if hops <= 0 or not entries:
        return peer
    return entries[-hops] if len(entries) >= hops else entries[0]


@auth.post("/signin", response_model=schemas.TokenPairRead)
async def sign_in(body: schemas.SignIn, identity: IdentityDep, request: Request) -> JSONResponse:
    session = await sessions.sign_in.sign_in(
        identity,
        email=body.email,
        password=body.password,
        organization_id=body.organization_id,
        address=client_address(request),
    )
    return _tokens(session)


@auth.post("/refresh", response_model=schemas.TokenPairRead)
async def refresh(body: schemas.RefreshRequest, identity: IdentityDep) -> JSONResponse:
    return _tokens(await sessions.refresh.refresh(identity, body.refresh_token))


@auth.post("/signout", status_code=204)
async def sign_out(body: schemas.RefreshRequest, identity: IdentityDep) -> Response:
    await sessions.refresh.sign_out(identity, body.refresh_token)
    return Response(status_code=204)


@auth.post("/switch-organization", response_model=schemas.TokenPairRead)
async def switch_organization(
    body: schemas.SwitchOrganization, principal: CurrentPrincipal, identity: IdentityDep
) -> JSONResponse:
    if principal.kind != "user":
        raise Forbidden("Only a person can switch organization; an API key belongs to one.")
    session = await sessions.sign_in.switch_organization(
        identity, user_id=UUID(principal.subject), organization_id=body.organization_id
    )
    return _tokens(session)


@auth.post("/token/api-key", response_model=schemas.AccessTokenRead)
async def exchange_api_key(request: Request, identity: IdentityDep) -> JSONResponse:
    """Trade an API key (``Authorization: Bearer wfk_...``) for a short-lived access token."""
    scheme, _, key = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("Send the API key as 'Authorization: Bearer wfk_...'.", error="invalid_request")
    token = await sessions.machine_token.exchange_api_key(identity, key.strip())
    body = schemas.AccessTokenRead.model_validate(token, from_attributes=True)
    return JSONResponse(body.model_dump(mode="json"), headers=NO_STORE)


api = APIRouter(prefix="/api/v1")


@api.get("/me", response_model=schemas.MeRead, tags=["me"])
async def me(principal: CurrentPrincipal, identity: IdentityDep) -> Any:
    profile = await organization.me(identity, _actor(principal))
    return {**profile, "permissions": grants(principal.role)}


@api.get("/organizations/current", response_model=profile_schemas.OrganizationRead, tags=["organizations"])
async def get_organization(identity: IdentityDep, actor: Caller = permitted("organization", "read")) -> Any:
    """The organization's profile: what statements, check stubs and reports print about the operator."""
    return await profile.get_profile(identity, actor)


@api.patch("/organizations/current", response_model=profile_schemas.OrganizationRead, tags=["organizations"])
async def update_organization(
    body: profile_schemas.OrganizationUpdate,
    identity: IdentityDep,
    actor: Caller = permitted("organization", "write"),
) -> Any:
    """Change the profile (owner only): audited, and published as identity.organization_updated.v1."""
    return await profile.update_profile(identity, actor, body.changes())


@api.get("/members", response_model=Page[schemas.MemberRead], tags=["members"])
async def list_members(
    identity: IdentityDep,
    actor: Caller = permitted("members", "read"),
    role: schemas.RoleName | None = None,
    status: Literal["active", "deactivated"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await members.queries.list_members(identity, actor, role=role, status=status, limit=limit, offset=offset)


@api.get("/members/{user_id}", response_model=schemas.MemberRead, tags=["members"])
async def get_member(user_id: UUID, identity: IdentityDep, actor: Caller = permitted("members", "read")) -> Any:
    return await members.queries.get_member(identity, actor, user_id)


@api.patch("/members/{user_id}", response_model=schemas.MemberRead, tags=["members"])
async def change_role(
    user_id: UUID, body: schemas.MemberUpdate, identity: IdentityDep, actor: Caller = permitted("members", "write")
) -> Any:
    return await members.roles.change_role(identity, actor, user_id, body.role)


@api.post("/members/{user_id}/deactivate", response_model=schemas.MemberRead, tags=["members"])
async def deactivate_member(user_id: UUID, identity: IdentityDep, actor: Caller = permitted("members", "write")) -> Any:
    return await members.roles.deactivate(identity, actor, user_id)


@api.post("/invitations", status_code=201, response_model=schemas.NewInvitationRead, tags=["invitations"])
async def invite(
    body: schemas.InvitationCreate, identity: IdentityDep, actor: Caller = permitted("members", "write")
) -> Any:
    created = await members.invite.invite(identity, actor, email=body.email, role=body.role)
    return {**created.invitation, "token": created.token if created.delivery == "not_mailed" else None}


@api.get("/invitations", response_model=list[schemas.InvitationRead], tags=["invitations"])
async def list_invitations(
    identity: IdentityDep, actor: Caller = permitted("members", "read"), limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await members.queries.list_invitations(identity, actor, limit=limit, offset=offset)


@api.post("/invitations/accept", response_model=schemas.TokenPairRead, tags=["invitations"])
async def accept_invitation(body: schemas.InvitationAccept, identity: IdentityDep, request: Request) -> JSONResponse:
    session = await members.accept.accept_invitation(
        identity, token=body.token, password=body.password, full_name=body.full_name, address=client_address(request)
    )
    return _tokens(session)


@api.post("/api-keys", status_code=201, response_model=schemas.NewApiKeyRead, tags=["api keys"])
async def create_api_key(
    body: schemas.ApiKeyCreate, identity: IdentityDep, actor: Caller = permitted("api_keys", "write")
) -> Any:
    created = await api_keys.create_api_key(identity, actor, name=body.name, role=body.role)
    return {**created.api_key, "key": created.key}


@api.get("/api-keys", response_model=list[schemas.ApiKeyRead], tags=["api keys"])
async def list_api_keys(identity: IdentityDep, actor: Caller = permitted("api_keys", "read")) -> Any:
    return await api_keys.list_api_keys(identity, actor)


@api.delete("/api-keys/{key_id}", response_model=schemas.ApiKeyRead, tags=["api keys"])
async def revoke_api_key(key_id: UUID, identity: IdentityDep, actor: Caller = permitted("api_keys", "write")) -> Any:
    return await api_keys.revoke_api_key(identity, actor, key_id)


@api.get("/audit-log", response_model=list[schemas.AuditEntryRead], tags=["audit"])
async def audit_log(
    identity: IdentityDep,
    actor: Caller = permitted("audit_log", "read"),
    action: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await organization.audit_trail(identity, actor, action=action, limit=limit, offset=offset)


wellknown = APIRouter(tags=["keys"])


@wellknown.get("/.well-known/jwks.json")
async def jwks(identity: IdentityDep) -> JSONResponse:
    return JSONResponse(await identity.keys.jwks(), headers={"Cache-Control": "public, max-age=60"})


routers = [auth, api, wellknown]
