"""The git layer: git is the quality system's database and audit trail.

- `signatures`: the commits that added approvals, their signatures, and who changed each file;
- `commit`: the one place that writes to git, committing an approval record.
"""
