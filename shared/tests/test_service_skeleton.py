"""Every service stands on the one kernel skeleton (decision 0025), read from its source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("payments", "packs", "booking", "notifications", "video", "search")
NOT_YET_MIGRATED: set[str] = set()
MIGRATED = [name for name in SERVICES if name not in NOT_YET_MIGRATED]
MAIN_LINES = 40


def package(service: str) -> Path:
    return ROOT / "services" / service / "src" / service


def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def calls_to(module: ast.Module, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(module)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def attribute_chains(module: ast.Module) -> list[tuple[int, str]]:
    """`a.b.c` as text, with its line, for every attribute access in the module."""
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.Attribute):
            parts = [node.attr]
            value = node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                parts.append(value.id)
            found.append((node.lineno, ".".join(reversed(parts))))
    return found


def sources(service: str) -> list[Path]:
    return sorted(package(service).rglob("*.py"))


@pytest.mark.parametrize("service", MIGRATED)
def test_a_service_s_main_builds_its_app_with_the_kernel_skeleton(service):
    main = package(service) / "main.py"
    module = tree_of(main)
    imported = {
        alias.name
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom) and node.module == "shared.http.app"
        for alias in node.names
    }
    assert imported == {"create_http_app"}, f"{main} must import create_http_app only"
    (call,) = calls_to(module, "create_http_app")
    keywords = {keyword.arg for keyword in call.keywords}
    assert {"title", "deps"} <= keywords, f"{main}: the app gets the service's Dependencies"
    assert not calls_to(module, "FastAPI"), f"{main} builds an app of its own"
    lines = len(main.read_text().splitlines())
    assert lines <= MAIN_LINES, f"{main} is {lines} lines; a composition root reads like packs'"


@pytest.mark.parametrize("service", MIGRATED)
def test_no_module_of_a_service_reaches_into_app_state(service):
    reaching = [
        f"{path.relative_to(ROOT)}:{line} {chain}"
        for path in sources(service)
        for line, chain in attribute_chains(tree_of(path))
        if chain.endswith("app.state") or ".app.state." in chain or chain.startswith("app.state")
    ]
    assert not reaching, "routes take `Deps` (or a kernel alias), never app.state:\n" + "\n".join(
        reaching
    )


@pytest.mark.parametrize("service", MIGRATED)
def test_a_service_s_routes_get_its_dependencies_through_the_kernel_alias(service):
    deps = package(service) / "entrypoints" / "deps.py"
    text = deps.read_text()
    assert "Deps = Annotated[Dependencies, Depends(service_dependencies)]" in text, deps
    others = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sources(service)
        for node in ast.walk(tree_of(path))
        if isinstance(node, ast.ClassDef) and node.name in {"Context", "Notifications"}
    ]
    assert not others, f"the dependency object is named `Dependencies`: {others}"


@pytest.mark.parametrize("service", MIGRATED)
def test_no_service_patches_the_lifespan_by_hand(service):
    patched = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "services" / service).rglob("*.py"))
        for node in ast.walk(tree_of(path))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute) and target.attr == "lifespan_context"
    ]
    assert not patched, f"use create_http_app(on_start=..., on_stop=...) instead: {patched}"


@pytest.mark.parametrize("service", MIGRATED)
def test_operators_are_one_alias_admin(service):
    copies = [
        f"{path.relative_to(ROOT)}"
        for path in sources(service)
        if "AdminUser" in path.read_text() or "require_role(Role.admin)" in path.read_text()
    ]
    assert not copies, f"take `Admin` from shared.http.deps: {copies}"


def test_the_checks_see_a_route_that_reaches_into_app_state():
    module = ast.parse("async def route(request):\n    return request.app.state.thing\n")
    assert (2, "request.app.state.thing") in attribute_chains(module)


def is_route_module(path: Path) -> bool:
    return path.parent.name == "entrypoints" and (path.stem == "api" or path.stem.endswith("_api"))


@pytest.mark.parametrize("service", MIGRATED)
def test_route_modules_are_named_api_or_topic_api(service):
    misnamed = [
        f"{path.relative_to(ROOT)}"
        for path in sources(service)
        if calls_to(tree_of(path), "APIRouter") and not is_route_module(path)
    ]
    assert not misnamed, (
        f"routes live in entrypoints/api.py or entrypoints/<topic>_api.py: {misnamed}"
    )


def defined_classes(path: Path) -> list[str]:
    return [node.name for node in tree_of(path).body if isinstance(node, ast.ClassDef)]


@pytest.mark.parametrize("service", MIGRATED)
def test_fakes_live_in_the_fakes_module_of_their_tier(service):
    tests = ROOT / "services" / service / "tests"
    misplaced = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(tests.rglob("*.py"))
        if path.name != "fakes.py" and not path.name.startswith("test_")
        for name in defined_classes(path)
        if name.startswith("Fake") or name.endswith("StandIn")
    ]
    extra = [
        f"{path.relative_to(ROOT)}"
        for path in sorted(tests.rglob("fakes*"))
        if path.parent.name not in ("unit", "integration") or path.name != "fakes.py"
    ]
    assert not misplaced + extra, (
        f"fakes go to tests/unit/fakes.py or tests/integration/fakes.py: {misplaced + extra}"
    )


# The use cases that commit their own units of work, and only these (docs/architecture.md's
# one-way table says why each does); every other use case leaves the commit to its caller.
SELF_COMMITTING: dict[str, dict[str, set[str]]] = {
    "payments": {
        "checkout.py": {"start_checkout"},
        "capture.py": {"capture_paypal_order"},
        "refunds.py": {"refund_order", "issue_required_refund"},
    },
    "booking": {"book_session.py": {"book_session"}, "credits.py": {"release_quietly"}},
    "search": {"rebuild_directory.py": {"rebuild_directory", "reindex_all"}},
}


def calls_commit(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        for node in ast.walk(function)
    )


def committing_functions(service: str) -> dict[str, set[str]]:
    """Per use-case module, the functions whose own body calls `.commit()`."""
    found: dict[str, set[str]] = {}
    for path in sorted((package(service) / "service_layer").glob("*.py")):
        for node in tree_of(path).body:
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and calls_commit(node):
                found.setdefault(path.name, set()).add(node.name)
    return found


@pytest.mark.parametrize("service", MIGRATED)
def test_only_the_named_use_cases_commit_their_own_units_of_work(service):
    allowed = SELF_COMMITTING.get(service, {})
    committing = committing_functions(service)
    assert set(committing) == set(allowed), "a use case commits that the one-way table omits"
    for module, names in committing.items():
        public = {name for name in names if not name.startswith("_")}
        assert public <= allowed[module], f"{service}/{module}: {public - allowed[module]}"


def test_the_self_committing_use_cases_are_named_in_the_one_way_table():
    table = (ROOT / "docs" / "architecture.md").read_text()
    missing = [
        name
        for modules in SELF_COMMITTING.values()
        for names in modules.values()
        for name in names
        if f"`{name}`" not in table
    ]
    assert not missing, f"name them, with the reason, in docs/architecture.md: {missing}"


def connection_parameters(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every parameter annotated `DbConnection` in the module."""
    return [
        (argument.lineno, argument.arg)
        for node in ast.walk(tree_of(path))
        if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
        for argument in [*node.args.args, *node.args.kwonlyargs]
        if isinstance(argument.annotation, ast.Name) and argument.annotation.id == "DbConnection"
    ]


@pytest.mark.parametrize("service", MIGRATED)
def test_a_database_connection_is_named_connection_below_the_routes(service):
    # A route's read connection is `db: ReadDb` (and the helpers it hands it to say `db`);
    # below the routes, in adapters and use cases, it is `connection` (`session` is booking's
    # domain Session).
    misnamed = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in sources(service)
        if path.parent.name != "entrypoints"
        for line, name in connection_parameters(path)
        if name != "connection"
    ]
    assert not misnamed, f"name it `connection`: {misnamed}"
