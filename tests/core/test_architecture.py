"""The architecture, checked statically (docs/architecture.md): imports point one way, and every
table is written only by its owning app's services.

The checker reads the source with `ast` and runs none of it. It scans every module of
src/pazar except migrations; tests, bench/ and migrations may write any table (fixtures,
measurements, schema). Management commands are scanned like any module: they call services.

What it sees of a write: `Model.objects.<write>(…)`, any chain from `Model.objects` ending in a
write (`Model.objects.filter(…).update(…)`, `….get(…).delete()`), a write on a variable bound
to such a chain or to `Model(…)` in the same function (`p = Model(…)`, `p.save()`), and
`upsert(Model, …)` / `upsert_given(Model, …)` / `bulk_insert(Model, …)` / `counts_add(Model, …)`
and the statements built to run later, `counts_add_statement(Model, …)` /
`update_statement(Model, …)` (`pazar.core.sql`). `Model` is resolved from the module's imports
(`from pazar.pricing.models import ProductPrice`) to the app that owns its table. What it does
not see: raw SQL, writes through related managers (`product.images.create`), the Django
admin's own saves of the model it shows, and querysets passed in as arguments.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pazar

# Each app's layer: the one table of the direction of imports. An app may import the apps of
# the layers listed for its layer in MAY_IMPORT; on top of that, no cycle between apps.
LAYERS = {
    # What every app may use; imports no app.
    "core": "core",
    # Shared HTTP conventions (errors, pagination, parsers, throttling); imports only core.
    "api": "api",
    # Domain apps: each owns its tables; they import core, api and each other, without cycles.
    "accounts": "domain",
    "languages": "domain",
    "catalog": "domain",
    "pricing": "domain",
    "inventory": "domain",
    "images": "domain",
    "channels": "domain",
    "whippy": "domain",
    "applications": "domain",
    "batches": "domain",
    "callbacks": "domain",
    "geography": "domain",
    "customers": "domain",
    "orders": "domain",
    "fulfilment": "domain",
    "claims": "domain",
    # Composing layers: put domain apps together for one audience; no domain app imports them.
    "marketplace": "composing",
    "backoffice": "composing",
    "sites": "composing",
    # Project-level glue, may import anything.
    "settings": "project",
    "urls": "project",
    "cli": "project",
    "wsgi": "project",
    "__main__": "project",
    "__init__": "project",
}
MAY_IMPORT = {
    "core": {"core"},
    "api": {"core", "api"},
    "domain": {"core", "api", "domain"},
    "composing": {"core", "api", "domain", "composing"},
    "project": {"core", "api", "domain", "composing", "project"},
}

# Writes outside their owning app's services that are known and being moved there: none now.
# An entry must name a real write (one that no longer matches fails the test), so the list
# only ever shrinks as the writes go.
# (module under src/pazar, model written)
KNOWN_TO_BE_REMOVED: set[tuple[str, str]] = set()

WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "update_or_create",
    "get_or_create",
    "save",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# Calls after which a chain holds plain values, not rows (`.values(…).first()` is a dict).
NOT_ROWS = {"values", "values_list", "aggregate", "count", "exists", "in_bulk", "iterator"}
UPSERTS = {
    "upsert", "upsert_given", "bulk_insert", "counts_add", "counts_add_statement",
    "update_statement", "upsert_statement", "insert_statement", "insert_later",
}  # fmt: skip
# Tables of installed libraries, by the app that owns their rows here.
LIBRARY_MODELS = {
    "django.contrib.auth.models": "accounts",
    "rest_framework.authtoken.models": "accounts",
}


@dataclass(frozen=True, order=True)
class Violation:
    path: str  # under the scanned root's `pazar/`
    line: int
    rule: str  # "import", "cycle", "layer", "foreign_write", "write_outside_services"
    detail: str
    model: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.detail}"


@dataclass
class Module:
    path: str  # "catalog/services/products.py"
    name: str  # "pazar.catalog.services.products"
    app: str
    tree: ast.Module
    is_package: bool


def modules(root: Path) -> list[Module]:
    """Every module of `root/pazar` but migrations."""
    package = root / "pazar"
    found = []
    for file in sorted(package.rglob("*.py")):
        rel = file.relative_to(package)
        if "migrations" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package and len(parts) > 1:
            parts = parts[:-1]
        found.append(
            Module(
                path=rel.as_posix(),
                name=".".join(["pazar", *parts]),
                app=rel.parts[0] if len(rel.parts) > 1 else rel.stem,
                tree=ast.parse(file.read_text(), filename=str(file)),
                is_package=is_package,
            )
        )
    return found


def _imports(module: Module):
    """(line, absolute module name, names imported from it) of every import, nested ones too."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _absolute(module, node), tuple(alias.name for alias in node.names)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name of the module `node` imports from (`from ..x import y` too)."""
    if not node.level:
        return node.module or ""
    package = module.name.split(".")
    if not module.is_package:
        package = package[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, node.module]) if node.module else ".".join(package)


def _target_app(name: str, names: tuple[str, ...]) -> list[str]:
    parts = name.split(".")
    if parts[0] != "pazar":
        return []
    if len(parts) > 1:
        return [parts[1]]
    return list(names)  # `from pazar import catalog`


def check_imports(root: Path) -> list[Violation]:
    found = []
    edges: dict[str, dict[str, tuple[str, int]]] = {}
    for module in modules(root):
        layer = LAYERS.get(module.app)
        if layer is None:
            found.append(
                Violation(module.path, 1, "layer", f"app {module.app!r} has no layer in LAYERS")
            )
            continue
        for line, name, names in _imports(module):
            for target in _target_app(name, names):
                if target == module.app:
                    continue
                target_layer = LAYERS.get(target)
                if target_layer is not None and target_layer not in MAY_IMPORT[layer]:
                    found.append(
                        Violation(
                            module.path,
                            line,
                            "import",
                            f"{module.app} ({layer}) imports {name} ({target_layer})",
                        )
                    )
                if layer != "project":
                    edges.setdefault(module.app, {}).setdefault(target, (module.path, line))
    for cycle in _cycles(edges):
        path, line = edges[cycle[0]][cycle[1]]
        steps = ", ".join(
            f"{a} -> {b} ({edges[a][b][0]}:{edges[a][b][1]})"
            for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        )
        found.append(Violation(path, line, "cycle", f"apps import each other: {steps}"))
    return sorted(found)


def _cycles(edges: dict[str, dict]) -> list[list[str]]:
    """One cycle through each strongly connected group of apps (Tarjan), smallest app first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(set(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    cycles = []
    for group in groups:
        start = min(group)
        # The shortest way back to `start` inside the group (breadth first).
        paths = {start: [start]}
        queue = [start]
        cycle = None
        while queue and cycle is None:
            node = queue.pop(0)
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    cycle = paths[node]
                    break
                if nxt in group and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    queue.append(nxt)
        cycles.append(cycle)
    return sorted(cycles)


def _model_bindings(module: Module) -> dict[str, str]:
    """Names of this module bound to a model (`ProductPrice`) or a models module (`models`),
    each with the app that owns the table(s)."""
    bound = {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            name = _absolute(module, node)
            parts = name.split(".")
            owner = LIBRARY_MODELS.get(name)
            if owner is None and parts[0] == "pazar" and len(parts) > 2 and parts[2] == "models":
                owner = parts[1]
            for alias in node.names:
                if owner is not None:
                    bound[alias.asname or alias.name] = owner
                elif parts[0] == "pazar" and len(parts) == 2 and alias.name == "models":
                    bound[alias.asname or alias.name] = parts[1]  # from pazar.x import models
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if alias.asname and parts[0] == "pazar" and parts[2:3] == ["models"]:
                    bound[alias.asname] = parts[1]
        elif isinstance(node, ast.Assign) and _is_user_model(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound[target.id] = "accounts"
    if module.path.split("/")[1:2] in (["models.py"], ["models"]):
        bound["cls"] = module.app  # `cls.objects…` in a model's class method
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef):
                bound[node.name] = module.app
    return bound


def _is_user_model(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "get_user_model"
    )


def _model_of(node: ast.AST, bound: dict[str, str], rows: dict[str, tuple[str, str]]):
    """(owning app, model name) when `node` is a model's rows: a chain from `Model.objects`,
    `Model(…)`, or a variable bound to one of these; else None."""
    while True:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in NOT_ROWS:
                return None
            if (model := _model_name(node.func, bound)) is not None:
                return model  # Model(…)
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr in MANAGERS:
                return _model_name(node.value, bound)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return rows.get(node.id)
        else:
            return None


def _model_name(node: ast.AST, bound: dict[str, str]):
    """(app, model) for `Model`, `models.Model` or `get_user_model()`."""
    if (
        isinstance(node, ast.Name)
        and node.id in bound
        and (node.id[:1].isupper() or node.id == "cls")
    ):
        return bound[node.id], node.id
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in bound
        and node.attr[:1].isupper()
    ):
        return bound[node.value.id], node.attr
    if _is_user_model(node):
        return "accounts", "User"
    return None


def _writes(module: Module):
    """(line, owning app, model) of every write this module makes that the checker can see."""
    bound = _model_bindings(module)
    scopes = [
        node
        for node in ast.walk(module.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for scope in [module.tree, *scopes]:
        rows: dict[str, tuple[str, str]] = {}
        for node in _walk_scope(scope):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                value, target = node.value, node.targets[0]
            elif isinstance(node, ast.For):
                value, target = node.iter, node.target
            else:
                continue
            if isinstance(target, ast.Name) and (model := _model_of(value, bound, rows)):
                rows[target.id] = model
        for node in _walk_scope(scope):
            if not isinstance(node, ast.Call):
                continue
            model = None
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in WRITES:
                model = _model_of(func.value, bound, rows)
            name = getattr(func, "id", getattr(func, "attr", None))
            if name in UPSERTS:
                given = node.args[0] if node.args else None
                for keyword in node.keywords:
                    if keyword.arg == "model":
                        given = keyword.value
                model = _model_name(given, bound) if given is not None else None
            if model is not None:
                yield node.lineno, *model


def _walk_scope(scope: ast.AST):
    """The nodes of one function (or of the module), not those of the functions inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def _in_services(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 1 and (parts[1] == "services.py" or parts[1] == "services")


def check_writes(root: Path) -> list[Violation]:
    found = []
    for module in modules(root):
        for line, owner, model in _writes(module):
            if owner != module.app:
                rule, detail = "foreign_write", f"{module.app} writes {owner}'s {model}"
            elif not _in_services(module.path):
                rule, detail = "write_outside_services", f"{model} written outside services"
            else:
                continue
            found.append(Violation(module.path, line, rule, detail, model))
    return sorted(found)


def check(root: Path) -> list[Violation]:
    return check_imports(root) + check_writes(root)


SRC = Path(pazar.__file__).resolve().parent.parent


def _report(violations) -> str:
    return "\n".join(str(violation) for violation in violations)


def test_imports_point_one_way_without_cycles():
    violations = check_imports(SRC)
    assert not violations, _report(violations)


def test_tables_are_written_only_by_their_owning_apps_services():
    violations = check_writes(SRC)
    known = {(v.path, v.model) for v in violations}
    unexpected = [v for v in violations if (v.path, v.model) not in KNOWN_TO_BE_REMOVED]
    assert not unexpected, _report(unexpected)
    assert not KNOWN_TO_BE_REMOVED - known, (
        f"no longer written, remove from KNOWN_TO_BE_REMOVED: {KNOWN_TO_BE_REMOVED - known}"
    )


def test_every_app_has_a_layer():
    apps = {path.name for path in (SRC / "pazar").iterdir() if (path / "__init__.py").exists()}
    assert apps <= set(LAYERS), apps - set(LAYERS)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        file = root / "pazar" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text))
    return root


CLEAN = {
    "__init__.py": "",
    "core/__init__.py": "",
    "core/sql.py": "def upsert(model, **kwargs): ...\n",
    "catalog/__init__.py": "",
    "catalog/models.py": "class Product: ...\n",
    "catalog/services.py": """
        from pazar.catalog.models import Product

        def product_create(*, sku):
            return Product.objects.create(sku=sku)
    """,
    "pricing/__init__.py": "",
    "pricing/models.py": "from pazar.catalog.models import Product\n\nclass ProductPrice: ...\n",
    "pricing/services/__init__.py": """
        from pazar.catalog.services import product_create
        from pazar.core.sql import upsert
        from pazar.pricing.models import ProductPrice

        def price_set(*, sku, price):
            product = product_create(sku=sku)
            upsert(ProductPrice, rows=[(product.pk, price)])
    """,
    "marketplace/__init__.py": "",
    "marketplace/services.py": """
        from pazar.pricing.services import price_set

        def apply(rows):
            for row in rows:
                price_set(**row)
    """,
}


def test_the_checker_passes_a_clean_tree(tmp_path):
    assert check(_tree(tmp_path, CLEAN)) == []


def test_the_checker_reports_imports_against_the_direction_and_foreign_writes(tmp_path):
    root = _tree(
        tmp_path,
        {
            **CLEAN,
            # core imports an app; a domain app imports a composing layer.
            "core/health.py": "from pazar.catalog.models import Product\n",
            "catalog/selectors.py": "def f():\n    from ..backoffice import labels\n",
            # catalog and pricing import each other.
            "catalog/admin.py": "from pazar.pricing.models import ProductPrice\n",
            # Another app's tables, written directly; the app's own, outside its services.
            "marketplace/handlers.py": """
                from pazar.catalog import models as catalog
                from pazar.core.sql import upsert
                from pazar.pricing.models import ProductPrice

                def apply(rows):
                    catalog.Product.objects.filter(sku__in=rows).update(is_active=False)
                    upsert(ProductPrice, rows=rows)
            """,
            "marketplace/feeds.py": """
                from pazar.core.sql import bulk_insert
                from pazar.pricing.models import ProductPrice

                def apply(prices):
                    bulk_insert(ProductPrice, [ProductPrice(**price) for price in prices])
            """,
            "pricing/views.py": """
                from pazar.pricing.models import ProductPrice

                def view(request, pk):
                    price = ProductPrice.objects.select_for_update().get(pk=pk)
                    price.save()
            """,
            "pricing/models.py": """
                class PriceList:
                    @classmethod
                    def load(cls):
                        return cls.objects.get_or_create(pk=1)[0]
            """,
        },
    )

    found = {(v.path, v.rule, v.model) for v in check(root)}

    assert found == {
        ("core/health.py", "import", ""),
        ("catalog/selectors.py", "import", ""),
        ("catalog/admin.py", "cycle", ""),
        ("marketplace/handlers.py", "foreign_write", "Product"),
        ("marketplace/handlers.py", "foreign_write", "ProductPrice"),
        ("marketplace/feeds.py", "foreign_write", "ProductPrice"),
        ("pricing/views.py", "write_outside_services", "ProductPrice"),
        ("pricing/models.py", "write_outside_services", "cls"),
    }
