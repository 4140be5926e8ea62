"""The `qms` command: a thin face over load, check, analyse and render.

Exit codes everywhere: 0 clean, 1 findings of severity error, 2 bad usage or
unreadable input. An unexpected failure prints one line (exit 3); set
QMS_DEBUG=1 to see the traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from .. import __version__
from ..findings import QmsError
from . import app
from .app import App

# Command name -> module defining it. Commands are imported only when run, so `qms validate`
# does not pay for openpyxl, matplotlib or docx that other commands need.
COMMANDS = {
    "approve": "approve",
    "audit-trail": "audit_trail",
    "baseline": "baseline",
    "build": "build",
    "capa": "capa",
    "capability": "capability",
    "diff": "diff",
    "due": "due",
    "excel": "excel",
    "export": "export",
    "history": "history",
    "import": "import_",
    "init": "init",
    "keys": "keys",
    "kpi": "kpi",
    "mkt": "mkt",
    "new": "new",
    "numbers": "numbers",
    "protocol": "protocol",
    "recall": "recall",
    "review": "review",
    "risk": "risk",
    "rules": "rules",
    "sample-size": "sample_size",
    "sampling": "sampling",
    "schema": "schema",
    "supplier": "supplier",
    "trace": "trace",
    "udi": "udi",
    "validate": "validate",
    "verify": "verify",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return getattr(importlib.import_module(f"{__name__}.{module}"), name.replace("-", "_"))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--repo", type=click.Path(file_okay=False, path_type=str), default=None,
              help="Quality repository root (default: nearest folder upward holding qms.yaml).")
@click.version_option(__version__, prog_name="qms")
@click.pass_context
def cli(ctx: click.Context, repo: str | None) -> None:
    """QMS Generator: a medical-device quality system kept in git."""
    ctx.obj = App(repo)


def run(args: list[str] | None = None) -> int:
    """Run one qms command and return its exit code, mapping every error to a one-line message."""
    try:
        code = cli.main(args=args, prog_name="qms", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.exceptions.NoArgsIsHelpError as bare:  # `qms`, `qms protocol`: asking what there is
        click.echo(bare.format_message())
        code = 0
    except click.ClickException as err:  # click's usage errors in the same one-line style as every other
        click.echo(f"qms: error: {usage_message(err)}", err=True)
        code = 2 if isinstance(err, click.UsageError) else err.exit_code
    except click.Abort:
        click.echo("qms: aborted", err=True)
        code = 1
    except QmsError as err:
        click.echo(f"qms: error: {err}", err=True)
        code = err.exit_code
    except KeyboardInterrupt:
        click.echo("qms: interrupted", err=True)
        code = 130
    except SystemExit as done:  # commands that end with an exit code of their own
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception as err:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("QMS_DEBUG"):
            raise
        click.echo(f"qms: internal error: {type(err).__name__}: {err} (set QMS_DEBUG=1 for details)", err=True)
        code = 3
    return code if isinstance(code, int) else 0


def usage_message(err: click.ClickException) -> str:
    """Click's message, lower-cased like ours, naming the command's help for a usage error."""
    text = err.format_message().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():  # "No such option" but not "AQL ..."
        text = text[0].lower() + text[1:]
    ctx = getattr(err, "ctx", None)
    if isinstance(err, click.UsageError) and ctx is not None:
        text += f" (see `{ctx.command_path} --help`)"
    return text


def main() -> None:
    # One short-lived command builds hundreds of thousands of long-lived objects and no cycles worth
    # collecting; the cyclic collector would rescan that growing heap again and again (about a third
    # of a warm `qms validate` at 10,000 records). Reference counting still frees everything else.
    gc.disable()
    app.EXITS_AFTER_COMMAND = True
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and flushed: skip tearing down the heap object by object.
    os._exit(code)
