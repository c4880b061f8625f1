"""Transition tables as data: each app declares its moves with `Transition` and wraps them in a `Table`;
services check the table, pages and the API list the allowed actions from it, and its Markdown page in
docs/ is generated from it (a test keeps the page and the table the same)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    national_code: int | None = None  # dossiers: the DVCQG status code reported after the move

    def allows(self, state: str) -> bool:
        return state in self.sources


class Table:
    def __init__(self, transitions: Iterable[Transition]):
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.by_action: dict[str, Transition] = {t.action: t for t in self.transitions}
        if len(self.by_action) != len(self.transitions):
            raise ValueError("an action appears twice in the transition table")

    def __iter__(self):
        return iter(self.transitions)

    def get(self, action: str) -> Transition | None:
        return self.by_action.get(action)

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.allows(state)]

    def markdown(self, *, title: str, source: str, command: str, states: Iterable[tuple[str, str, str]],
                 state_heading: tuple[str, ...], role_label: Callable[[str], str]) -> str:
        """The table as a Markdown page: the states (value, Vietnamese label, one more column named by
        `state_heading`), the transitions, and a Mermaid state diagram."""
        lines = [
            f"# {title} (generated)",
            "",
            f"Generated from `{source}` by `python -m motcua {command}`; a test fails",
            "when this file and the table differ.",
            "",
            f"## {state_heading[0]}",
            "",
            "| state | Vietnamese | " + state_heading[1] + " |",
            "|---|---|---|",
        ]
        lines += [f"| `{value}` | {label} | {extra} |" for value, label, extra in states]
        lines += [
            "",
            "## Transitions",
            "",
            "| action | Vietnamese | from | to | roles | requires |",
            "|---|---|---|---|---|---|",
        ]
        for t in self.transitions:
            sources = ", ".join(f"`{s}`" for s in sorted(t.sources))
            target = f"`{t.target}`" if t.target else "(unchanged)"
            roles = ", ".join(sorted(role_label(r) for r in t.roles))
            requires = ", ".join(f"`{r}`" for r in t.requires) or "–"
            lines.append(f"| `{t.action}` | {t.label} | {sources} | {target} | {roles} | {requires} |")
        lines += ["", "## Diagram", "", "```mermaid", "stateDiagram-v2"]
        for t in self.transitions:
            for s in sorted(t.sources):
                lines.append(f"    {s} --> {t.target or s}: {t.action}")
        lines += ["```", ""]
        return "\n".join(lines)
