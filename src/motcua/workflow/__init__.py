"""The state-machine kernel shared by dossiers and feedback (DESIGN: pages → effects → dossier and
feedback apps → this kernel → foundations).

- `table`: one `Transition` type and one `Table` type (look-up, the actions allowed from a state, the
  generated Markdown page with its state diagram);
- `events`: the abstract append-only event model (sequence number, hash chain, no edit, no delete) and the
  chained hash itself.

Each app keeps its own table, rules and codes; the kernel holds what is the same in both.
"""
