from pathlib import Path

from motcua.dossiers.workflow import as_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_docs_workflow_matches_the_table():
    assert DOC.read_text(encoding="utf-8") == as_markdown(), "run: python -m motcua workflow-doc > docs/workflow.md"
