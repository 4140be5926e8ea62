"""Executable validation: IQ/OQ/PQ protocols whose steps are Gherkin scenarios run by pytest-bdd.

- `context`: what a running scenario sees (the repository, the execution date, the data it read)
  and how a step records its actual and expected values;
- `steps`: the step library that ships with the generator;
- `runner`: runs a protocol's scenarios in-process with pytest-bdd and collects per-step results;
- `evidence`: the executed protocol as JSON, and the deviation a failed step drafts.
"""
