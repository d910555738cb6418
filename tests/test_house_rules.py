"""The rules of the house layout (README "How it is built"), checked on the
source itself: each test reads the files and fails naming the file and line
that breaks its rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def where(path: Path, node: ast.AST) -> str:
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return f"{name}:{node.lineno}"


# ---------------------------------------------------------------- the library never imports streamlit

def streamlit_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        found += [where(path, node) for name in names if name.split(".")[0] == "streamlit"]
    return found


def test_the_library_never_imports_streamlit():
    """parkbench/ runs in the CLI, the worker process and tests: Streamlit stays in ui/ and pages/."""
    assert [hit for path in python_files("parkbench") for hit in streamlit_imports(path)] == []


def test_the_streamlit_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "hidden.py"
    module.write_text("def show():\n    from streamlit import caption\n    caption('x')\n", encoding="utf-8")
    assert streamlit_imports(module) == ["hidden.py:2"]


# ---------------------------------------------------------------- pages hold no SQL

SQL_IN_PAGE = re.compile(r"\bselect\s.*\bfrom\s|\bexecute\(|\bduckdb\b", re.IGNORECASE)


def sql_lines(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if SQL_IN_PAGE.search(line)]


def test_pages_hold_no_sql():
    """A page draws widgets and charts; every read goes through ui/data.py's door (queries/reads/)."""
    assert [hit for path in python_files("pages") for hit in sql_lines(path)] == []


def test_the_page_sql_check_sees_a_query():
    assert SQL_IN_PAGE.search('con.execute("SELECT park FROM parks")')
    assert SQL_IN_PAGE.search("cur.execute(text)") and SQL_IN_PAGE.search("import duckdb")
    assert not SQL_IN_PAGE.search('st.selectbox("指标", options)')
    assert not SQL_IN_PAGE.search('t("选择园区", "Select parks")')


# ---------------------------------------------------------------- every write through store.transaction

def strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


WRITE_STATEMENT = re.compile(r"\b(insert\s+(or\s+\w+\s+)?into|delete\s+from|update\s+\w+\s+set)\b", re.IGNORECASE)
WRITES = frozenset(
    f"{path.parent.name}/{path.stem}" for folder in ("commands", "mappings")
    for path in (QUERIES / folder).glob("*.sql") if WRITE_STATEMENT.search(strip_comments(path.read_text("utf-8"))))
HAND_TRANSACTION = re.compile(r"^\s*(begin|commit|rollback)(\s+transaction)?\s*;?\s*$", re.IGNORECASE)


def is_transaction(item: ast.withitem) -> bool:
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return False
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name == "transaction"


def unguarded_writes(path: Path) -> list[str]:
    """Calls that run a named write (a file under queries/commands or
    queries/mappings that inserts, updates or deletes) outside a ``with
    …transaction(…)`` block, and hand-written begin/commit/rollback."""
    found = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.With | ast.AsyncWith) and any(is_transaction(i) for i in node.items):
            guarded = True
        if isinstance(node, ast.Call):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if not guarded and any(text in WRITES for text in texts):
                found.append(where(path, node))
            if any(HAND_TRANSACTION.match(text) for text in texts):
                found.append(where(path, node) + " (begin/commit by hand)")
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree(path), False)
    return found


def test_the_named_writes_are_known():
    assert {"commands/eval_scheme_insert", "commands/alert_setting_save", "commands/peer_group_add",
            "mappings/save_mapping"} <= WRITES
    assert "mappings/list_mappings" not in WRITES


# The store module is where the one helper lives: its own begin/commit (in
# ``transaction``, the schema migrations and the demo's retirement) is the helper;
# on PostgreSQL, postgres.py is the rest of it (the transaction there, and taking
# in other servers' writes under the writer lock).
HELPERS = (ROOT / "parkbench" / "store" / "__init__.py", ROOT / "parkbench" / "store" / "postgres.py")


def test_every_named_write_runs_inside_store_transaction():
    """store.transaction holds the writer lock: a write outside it races another session's upload."""
    files = [p for folder in ("parkbench", "ui", "pages") for p in python_files(folder) if p not in HELPERS]
    assert [hit for path in files for hit in unguarded_writes(path)] == []


@pytest.mark.parametrize(("source", "found"), [
    ('def save(con):\n    sql.execute(con, "commands/alert_setting_save", setting="x", value=1)\n', 1),
    ('def save(con):\n    con.execute("begin")\n', 1),
    ('def save(con):\n    with store.transaction(con, "保存"):\n'
     '        sql.execute(con, "commands/alert_setting_save", setting="x", value=1)\n', 0),
])
def test_the_write_check_finds_a_write_outside_the_helper(tmp_path, source, found):
    module = tmp_path / "writer.py"
    module.write_text(source, encoding="utf-8")
    assert len(unguarded_writes(module)) == found


# ---------------------------------------------------------------- every metric model is tested

def test_every_metric_model_is_named_by_a_test():
    """A file under queries/metrics/ that no test names is a number nobody checks."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").glob("test_*.py"))
             if p.name != Path(__file__).name]
    untested = [path.stem for path in sorted((QUERIES / "metrics").glob("*.sql"))
                if not any(re.search(rf"\b{re.escape(path.stem)}\b", text) for text in texts)]
    assert untested == []


# ---------------------------------------------------------------- Streamlit caching in one module

def test_streamlit_caching_lives_in_ui_data_only():
    """ui/data.py keys every cached read by the data version; a cache elsewhere would outlive an upload."""
    files = [*python_files("ui"), *python_files("pages"), ROOT / "streamlit_app.py"]
    caching = [f"{path.relative_to(ROOT)}:{n}" for path in files if path != ROOT / "ui" / "data.py"
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if re.search(r"\bcache_(data|resource)\b", line)]
    assert caching == []
