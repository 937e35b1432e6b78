"""The Seller Center's panel: a seller signs in and sees their products, batches and tokens.

A panel visit holds a Seller Center login session (the token `/api/i1/token/obtain/` gives),
kept in the Django session: it ends when it expires, on sign-out, or as soon as the seller or
the user is deactivated. Every read is scoped to the session's seller; another seller's object
is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.exceptions import Throttled

from pazar.accounts import selectors as accounts_selectors
from pazar.accounts import services as accounts
from pazar.backoffice import forms, selectors
from pazar.backoffice.services import file_import as imports
from pazar.backoffice.views import fragments
from pazar.catalog.models import Category
from pazar.core.errors import ApplicationError

SESSION_KEY = "pazar_seller_session"
NEW_TOKEN_KEY = "pazar_new_access_token"
PER_PAGE = 25


def _url(name: str, **kwargs) -> str:
    return reverse(f"seller-center:{name}", kwargs=kwargs or None)


def seller_required(view):
    """Lets through visitors holding a live seller session; sends the others to sign in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = selectors.panel_session(token_id=request.session.get(SESSION_KEY))
        if token is None:
            request.session.pop(SESSION_KEY, None)
            login = _url("panel-login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        request.seller_session = token
        request.seller = token.seller
        request.seller_user = token.user
        request.is_seller_admin = token.user.seller_membership.is_admin
        return view(request, *args, **kwargs)

    return wrapped


def _render(request, template: str, context: dict, status: int = 200):
    return TemplateResponse(request, f"backoffice/panel/{template}", context, status=status)


# --- signing in and out ---------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _url("panel-products")


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = forms.SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            # The Seller Center login's limits (per account, per address), shared with the API.
            token, _key = accounts.seller_session_obtain(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                address=request.META.get("REMOTE_ADDR", ""),
            )
        except Throttled:
            form.add_error(None, _("Too many sign-in attempts. Try again later."))
            status = 429
        except ValidationError:
            form.add_error(None, _("The email or the password is not right."))
        else:
            request.session.cycle_key()  # a new session id for the signed-in visitor
            request.session[SESSION_KEY] = str(token.pk)
            return redirect(_next_url(request))
    context = {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")}
    return _render(request, "sign_in.html", context, status=status)


@require_POST
def sign_out(request):
    token = selectors.panel_session(token_id=request.session.get(SESSION_KEY))
    if token is not None:
        accounts.seller_session_end(token=token)
    # Only the seller's part of the session ends: an operator signed in to the admin in the
    # same browser stays signed in there.
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect(_url("panel-login"))


@require_GET
@seller_required
def home(request):
    return redirect(_url("panel-products"))


# --- products -------------------------------------------------------------------------------


@require_GET
@seller_required
def product_list(request):
    form = forms.ProductFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    products = selectors.seller_products(
        seller=request.seller,
        live=filters.get("live", ""),
        review=filters.get("review", ""),
        text=filters.get("q", ""),
    )
    page = Paginator(products, PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "products.html", {"form": form, "page": page, "section": "products"})


@require_GET
@seller_required
def product_detail(request, product_id):
    product = selectors.seller_product(seller=request.seller, product_id=product_id)
    if product is None:
        raise Http404
    review = selectors.approval_review(product) if product.approval_status == "pending" else None
    context = {"product": product, "review": review, "section": "products"}
    return _render(request, "product.html", context)


# --- batch requests -------------------------------------------------------------------------


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@require_GET
@seller_required
def batch_list(request):
    form = forms.BatchFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    since, until = filters.get("since"), filters.get("until")
    dated = selectors.seller_batches(
        seller=request.seller,
        since=_day_start(since) if since else None,
        until=_day_start(until) + timedelta(days=1) if until else None,
    )
    batches = selectors.batches_in_state(dated, filters.get("state") or "")
    page = Paginator(batches, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "progress": [selectors.batch_progress(batch) for batch in page],
        "counts": selectors.batch_state_counts(dated),
        "section": "batches",
    }
    return _render(request, "batches.html", context)


def _own_batch(request, batch_id):
    batch = selectors.seller_batch(seller=request.seller, batch_id=batch_id)
    if batch is None:
        raise Http404
    return batch


@require_GET
@seller_required
def batch_detail(request, batch_id):
    batch = _own_batch(request, batch_id)
    context = {
        "batch": batch,
        "progress": selectors.batch_progress(batch),
        "links": selectors.batch_file_links(batch),
        "error_rows": selectors.batch_error_rows(batch, page=request.GET.get("errors_page", 1)),
        "section": "batches",
    }
    return _render(request, "batch.html", context)


@require_GET
@seller_required
def batch_progress(request, batch_id):
    """The progress bar alone, for the page to poll; once the batch ends, the page reloads."""
    return fragments.batch_progress(
        request,
        selectors.batch_progress(_own_batch(request, batch_id)),
        poll_url=_url("panel-batch-progress", batch_id=batch_id),
    )


# --- files ---------------------------------------------------------------------------------


def _categories() -> list[tuple[str, str]]:
    return [(str(c.uuid), f"{c.name} ({c.code})") for c in Category.objects.order_by("name")]


@require_http_methods(["GET", "POST"])
@seller_required
def upload(request):
    """Upload a file of products, prices or stocks; it is applied as batches of 1000 rows."""
    form = forms.FileImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = imports.file_import_create(
                    seller=request.seller,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect(_url("panel-upload", import_id=created.pk))
        status = 400
    recent = [
        selectors.import_progress(item)
        for item in selectors.seller_imports(seller=request.seller)[:10]
    ]
    context = {
        "form": form,
        "template_form": forms.TemplateForm(categories=_categories()),
        "recent": recent,
        "section": "uploads",
    }
    return _render(request, "uploads.html", context, status=status)


def _own_import(request, import_id):
    found = selectors.seller_import(seller=request.seller, import_id=import_id)
    if found is None:
        raise Http404
    return found


@require_GET
@seller_required
def upload_detail(request, import_id):
    file_import = _own_import(request, import_id)
    progress = selectors.import_progress(file_import)
    failed = None if progress.is_open else imports.failed_rows(file_import)
    groups = []
    if failed:
        groups = selectors.error_groups(
            [selectors.ErrorRow(row.number - 1, "", [], shown=row.shown) for row in failed]
        )
    context = {
        "file_import": file_import,
        "progress": progress,
        "failed": failed,
        "groups": groups[:20],
        "section": "uploads",
    }
    return _render(request, "upload.html", context)


def _download(content: bytes, file_format: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=imports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@seller_required
def upload_failed_rows(request, import_id):
    """The rows that failed, in the uploaded file's format with an `errors` column."""
    file_import = _own_import(request, import_id)
    failed = imports.failed_rows(file_import)
    if failed is None:
        raise Http404  # still being applied
    return _download(
        imports.failed_rows_file(file_import, failed),
        file_import.file_format,
        imports.failed_rows_name(file_import),
    )


@require_GET
@seller_required
def upload_template(request):
    form = forms.TemplateForm(request.GET or None, categories=_categories())
    if not form.is_valid():
        return _render(
            request,
            "uploads.html",
            {"form": forms.FileImportForm(), "template_form": form, "recent": [],
             "section": "uploads"},
            status=400,
        )  # fmt: skip
    kind, file_format = form.cleaned_data["kind"], form.cleaned_data["format"]
    category = None
    if kind == "products" and form.cleaned_data["category"]:
        category = Category.objects.filter(uuid=form.cleaned_data["category"]).first()
    content = imports.template_file(
        seller=request.seller, kind=kind, file_format=file_format, category=category
    )
    return _download(content, file_format, imports.template_name(kind, file_format, category))


# --- access tokens --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@seller_required
def token_list(request):
    form = forms.AccessTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = accounts.seller_access_token_create(
                actor=request.seller_user, **form.cleaned_data
            )
        except ApplicationError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Shown on the next page only: the key is never stored, and never shown again.
            request.session[NEW_TOKEN_KEY] = {"id": str(token.pk), "key": key}
            return redirect(_url("panel-tokens"))
    tokens = Paginator(
        accounts_selectors.seller_access_token_list(seller=request.seller), PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": tokens,
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
        "section": "tokens",
    }
    return _render(request, "tokens.html", context)


@require_POST
@seller_required
def token_revoke(request, token_id):
    token = accounts_selectors.seller_access_token_list(seller=request.seller).filter(pk=token_id)
    token = token.first()
    if token is None:
        raise Http404
    try:
        accounts.seller_access_token_revoke(actor=request.seller_user, token=token)
    except ApplicationError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(
        request, _("The token %(prefix)s… was revoked.") % {"prefix": token.key_prefix}
    )
    return redirect(_url("panel-tokens"))
