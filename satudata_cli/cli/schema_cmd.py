"""``satudata schema show|export``: the standard's fields, for people and for editors."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import (
    Color,
    ColorOption,
    OutputTarget,
    cli_errors,
    fail,
    make_console,
    resolve_lang,
)
from satudata_cli.cli.i18n import helptext
from satudata_cli.cli.options import (
    LangOption,
    OutputOption,
    TextOrJson,
    choices,
    format_option,
)
from satudata_cli.cli.output import value_label
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import M
from satudata_cli.publish.scheming import scheming_schema
from satudata_cli.standard.profiles import Profile, ProfileLoader
from satudata_cli.standard.resolve import resolved_schema
from satudata_cli.standard.schema import (
    CONFIG_SCHEMAS,
    FieldInfo,
    Standard,
    config_schema,
    load_standard,
)

if TYPE_CHECKING:
    ConfigKind = StrEnum
else:
    ConfigKind = choices("ConfigKind", CONFIG_SCHEMAS)

app = typer.Typer(help=helptext(M.help_schema_app), no_args_is_help=True)


class SchemaKind(StrEnum):
    """What ``schema export`` writes."""

    json_schema = "json-schema"
    ckan_scheming = "ckan-scheming"


ProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        "-p",
        envvar="SATUDATA_PROFILE",
        help=helptext(M.help_profile),
    ),
]


def _status(profile: Profile, name: str) -> str:
    if name in profile.required:
        return "required"
    if name in profile.recommended:
        return "recommended"
    return "optional"


def _field_dict(
    standard: Standard, profile: Profile, info: FieldInfo, lang: Lang
) -> dict[str, Any]:
    vocab = standard.vocabularies.get(info.vocabulary) if info.vocabulary else None
    allowed = profile.vocabularies.get(info.name)
    out: dict[str, Any] = {
        "name": info.name,
        "type": list(info.types)
        + ([f"items: {'/'.join(info.item_types)}"] if info.item_types else []),
        "status": _status(profile, info.name),
        "title": info.title.get(lang),
        "description": info.description.get(lang),
        "source": info.source,
        "labels": list(info.labels),
    }
    if vocab is not None:
        out["vocabulary"] = {
            "name": vocab.name,
            "values": [
                {
                    "value": term.value,
                    "label": term.label.get(lang),
                    **({"days": term.days} if term.days is not None else {}),
                }
                for term in vocab.terms.values()
                if allowed is None or term.value in allowed
            ],
        }
    if info.kind:
        out["kind"] = info.kind
    nested = [d for d in (*profile.required, *profile.recommended) if d.startswith(info.name + ".")]
    if nested:
        out["nested"] = {d: _status(profile, d) for d in nested}
    return out


@app.command("show", help=helptext(M.help_schema_show))
def show(
    field: Annotated[
        str | None,
        typer.Argument(help=helptext(M.help_schema_show_field), show_default=False),
    ] = None,
    profile: ProfileOption = "sdi-dasar",
    # a plain string checked below, so that a wrong value is one error line
    output_format: Annotated[
        str,
        format_option("schema", helptext(M.help_format_text_json), metavar="[text|json]"),
    ] = "text",
    lang: LangOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """List the fields of a profile: type, required or not, vocabulary, description."""
    if output_format not in set(TextOrJson):
        raise fail(M.err_schema_format.format(value=repr(output_format)))
    chosen = resolve_lang(lang)
    with cli_errors():
        standard = load_standard()
        resolved = ProfileLoader(standard).load(profile)
        if field is not None and field not in standard.fields:
            target = standard.field_for_label(field)
            if target is None:
                raise fail(M.err_unknown_field.format(field=repr(field)))
            field = target
        names = [field] if field else list(standard.fields)
        rows = [_field_dict(standard, resolved, standard.fields[n], chosen) for n in names]
        console = make_console(sys.stdout, color)
        if output_format == TextOrJson.json:
            payload: Any = rows[0] if field else {"profile": resolved.name, "fields": rows}
            console.file.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            return
        if field:
            _print_field(console, rows[0], chosen)
            return
        title = resolved.title.get(chosen)
        table = Table(title=f"{title} ({resolved.name})", show_lines=False, expand=False)
        headers = (M.schema_field, M.schema_type, M.schema_status, M.schema_vocab, M.schema_title)
        for index, header in enumerate(headers):
            # field names are ids: never broken (cli/tables.py)
            table.add_column(header.get(chosen), overflow="fold", no_wrap=index == 0)
        for row in rows:
            status = row["status"]
            style = {"required": "bold", "recommended": "", "optional": "dim"}[status]
            vocab = row.get("vocabulary")
            table.add_row(
                Text(row["name"], style=style),
                Text("/".join(t for t in row["type"] if not t.startswith("items"))),
                Text(value_label(status), style=style),
                Text(vocab["name"] if vocab else row.get("kind", "")),
                Text(row["title"]),
            )
        console.print(table)


def _print_field(console: Any, row: dict[str, Any], lang: Lang) -> None:
    words = [
        m.get(lang)
        for m in (
            M.schema_type,
            M.schema_status,
            M.schema_rule_source,
            M.schema_labels,
            M.schema_vocab,
        )
    ]
    console.print(Text(f"{row['name']}: {row['title']}", style="bold"))
    console.print(Text(row["description"]))
    status = value_label(row["status"])
    console.print(Text(f"{words[0]}: {', '.join(row['type'])}"))
    console.print(Text(f"{words[1]}: {status}"))
    console.print(Text(f"{words[2]}: {row['source']}"))
    if row["labels"]:
        console.print(Text(f"{words[3]}: {', '.join(row['labels'])}"))
    vocab = row.get("vocabulary")
    if vocab:
        console.print(Text(f"{words[4]} ({vocab['name']}):"))
        for term in vocab["values"]:
            days = "  " + M.schema_days.format(n=term["days"]).get(lang) if "days" in term else ""
            console.print(Text(f"  {term['value']:<24} {term['label']}{days}"))
    for dotted, status in row.get("nested", {}).items():
        console.print(Text(f"  {dotted}: {value_label(status)}"))


@app.command("export", help=helptext(M.help_schema_export))
def export(
    ctx: typer.Context,
    profile: ProfileOption = "sdi-dasar",
    config: Annotated[
        ConfigKind | None,
        typer.Option(
            "--config",
            help=helptext(M.help_schema_export_config),
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    kind: Annotated[
        SchemaKind,
        format_option("schema_export", helptext(M.help_schema_export_format)),
    ] = SchemaKind.json_schema,
    as_yaml: Annotated[
        bool | None,
        typer.Option("--yaml/--json", help=helptext(M.help_schema_export_yaml), show_default=False),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write the profile resolved into one self-contained JSON Schema (2020-12).

    With --config KIND: the schema of a source, target or profile file instead.
    With --format ckan-scheming: a ckanext-scheming dataset schema of the profile.
    """
    if config is not None and _from_command_line(ctx, "profile"):
        raise fail(M.err_profile_and_config)
    scheming = kind == SchemaKind.ckan_scheming
    if config is not None and scheming:
        raise fail(M.err_schema_config_format)
    if as_yaml and not scheming:
        raise fail(M.err_schema_yaml_format)
    with cli_errors():
        if config is not None:
            schema = config_schema(config.value)
        else:
            standard = load_standard()
            resolved = ProfileLoader(standard).load(profile)
            if scheming:
                schema = scheming_schema(standard, resolved)
            else:
                schema = resolved_schema(standard, resolved)
        if scheming and as_yaml is not False:
            text = yaml.safe_dump(schema, allow_unicode=True, sort_keys=False, width=88)
        else:
            text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        with OutputTarget(output) as out:
            out.write(text)


def _from_command_line(ctx: typer.Context, param: str) -> bool:
    source = ctx.get_parameter_source(param)  # typer's own click: compare by name
    return source is not None and source.name == "COMMANDLINE"
