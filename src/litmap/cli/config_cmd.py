"""``litmap config``: the per-user settings (default library, contact e-mail), as ``git config`` reads them."""

from typing import Annotated

import typer

from litmap.cli.app import app, fail


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap config library ~/papers              use ~/papers outside a library folder\n\n"
    "  litmap config library                       print the default library\n\n"
    "  litmap config contact_email you@example.org   sent to Crossref and arXiv (polite pool)\n\n"
    "  litmap config --list\n\n"
    "  litmap config --unset library"
)
def config(
    key: Annotated[str | None, typer.Argument(metavar="KEY", help="A setting: library or contact_email.")] = None,
    value: Annotated[str | None, typer.Argument(metavar="VALUE", help="Its new value (omit to print it).")] = None,
    list_all: Annotated[bool, typer.Option("--list", "-l", help="Print every setting that is set.")] = False,
    unset: Annotated[bool, typer.Option("--unset", help="Remove the setting KEY.")] = False,
    path: Annotated[bool, typer.Option("--path", help="Print where the settings file is.")] = False,
) -> None:
    """Read or change your own settings, shared by every library: the default library, contact e-mail.

    The settings file is $LITMAP_CONFIG, else $XDG_CONFIG_HOME/litmap/config.toml (~/.config/litmap
    on Linux). Outside a library folder, without --library or $LITMAP_LIBRARY, litmap uses the library
    set here before the bundled one. An e-mail in a library's litmap.toml or $LITMAP_CONTACT_EMAIL wins.
    """
    from litmap.services import user_settings

    if path:
        from litmap.store.user_config import user_config_path

        typer.echo(str(user_config_path()))
    elif list_all:
        if key is not None:
            raise typer.BadParameter("takes no KEY", param_hint="--list")
        for name, setting in user_settings.list_settings().items():
            typer.echo(f"{name}={setting}")
    elif key is None:
        raise typer.BadParameter("name a setting (library, contact_email) or pass --list", param_hint="KEY")
    elif unset:
        if value is not None:
            raise typer.BadParameter("takes only KEY", param_hint="--unset")
        if not user_settings.unset_setting(key):
            raise fail(f"{key} is not set")
        typer.echo(f"Unset {key}.")
    elif value is None:
        stored = user_settings.get_setting(key)
        if stored is None:
            raise fail(
                f"{key} is not set (set it with `litmap config {key} {'PATH' if key == 'library' else 'VALUE'}`)"
            )
        typer.echo(stored)
    else:
        stored = user_settings.set_setting(key, value)
        typer.echo(f"Set {key} = {stored}")
