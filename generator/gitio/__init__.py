"""The git layer: git is the quality system's database and audit trail.

- `log`: one streaming pass over history (`git log` plus one `git cat-file --batch`), never a git
  call per record;
- `history`: the field-level audit trail of every record, built on that pass;
- `signatures`: the commits that added approvals, their signatures, and who changed each file;
- `commit`: the one place that writes to git, committing an approval record.

Commands that need history raise QmsError with a clear message outside a git repository.
"""
