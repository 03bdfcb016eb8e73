"""The settings `hrtrust config` reads and writes, validated before they reach config.toml.

Pure: the lists of known countries and time zones are handed in (the CLI asks the `holidays`
package and zoneinfo), so nothing here reads files or the clock.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from hrtrust.domain.dates import WEEKDAYS, describe_cadence, parse_cadence, parse_weekday
from hrtrust.domain.retention import parse_retention
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _
from hrtrust.locale.phrase import said
from hrtrust.models import DELIVERY_KINDS, MIN_RESPONSES_FLOOR, Config, Delivery, lazy_re

# key shown and typed -> what it means (the first line of `config show`'s help; said with _())
KEYS: dict[str, str] = {
    "timezone": N_("meeting times, and the date of today"),
    "country": N_("public holidays to plan around"),
    "workdays": N_("the days reach-outs go on"),
    "reach-out-budget": N_("reach-outs suggested per week"),
    "max-per-day": N_("most items placed on one day"),
    "retention": N_("how long personal text is kept (purge)"),
    "min-responses": N_("fewest answers a survey result needs"),
    "language": N_("zh-TW, en, or auto (the locale's)"),
    "cadence.TAG": N_("how often to touch people tagged TAG"),
}
# The names config.toml uses, accepted too.
_ALIASES = {
    "tz": "timezone",
    "week": "workdays",
    "reach_out_per_week": "reach-out-budget",
    "reach-out-per-week": "reach-out-budget",
    "budget": "reach-out-budget",
    "max_per_day": "max-per-day",
    "min_responses": "min-responses",
    "lang": "language",
}
_CLEAR = ("none", "off", "-", "")
_DELIVERY_NAME = lazy_re(r"[a-z0-9][a-z0-9_-]{0,39}")
_ENV_NAME = lazy_re(r"[A-Za-z_][A-Za-z0-9_]{0,99}")
_MAX_BUDGET = 100
_MAX_RESPONSES = 1000


def settings_data(config: Config) -> dict[str, Any]:
    """The settings as typed values, for `config show --json`."""
    return {
        "timezone": config.timezone,
        "country": config.country,
        "workdays": [WEEKDAYS[i] for i in sorted({parse_weekday(d) for d in config.week})],
        "reach-out-budget": config.reach_out_per_week,
        "max-per-day": config.max_per_day,
        "retention": config.retention,
        "min-responses": config.min_responses,
        "language": config.language,
        "cadence": dict(config.cadence),
    } | (
        {"delivery": {d.name: {"kind": d.kind, "url-env": d.url_env} for d in config.delivery}}
        if config.delivery
        else {}
    )


class Setting(NamedTuple):
    key: str
    value: str  # as typed back to `config set`
    about: str


def _workdays_text(days: list[str]) -> str:
    """``mon-fri`` for a run of days, else ``mon,wed,fri``."""
    idx = sorted({parse_weekday(d) for d in days})
    for first in idx:  # a run, maybe across the weekend: sun-thu
        run = [(first + i) % 7 for i in range(len(idx))]
        if len(idx) > 2 and sorted(run) == idx:
            return f"{WEEKDAYS[run[0]]}-{WEEKDAYS[run[-1]]}"
    return ",".join(WEEKDAYS[i] for i in idx)


def settings(config: Config) -> list[Setting]:
    """Every setting `config set` can change, with its current value."""
    week = config.week or ["mon", "tue", "wed", "thu", "fri"]
    out = [
        Setting("timezone", config.timezone, _(KEYS["timezone"])),
        Setting("country", config.country or "none", _(KEYS["country"])),
        Setting("workdays", _workdays_text(week), _(KEYS["workdays"])),
        Setting("reach-out-budget", str(config.reach_out_per_week), _(KEYS["reach-out-budget"])),
        Setting("max-per-day", str(config.max_per_day), _(KEYS["max-per-day"])),
        Setting("retention", config.retention or "off", _(KEYS["retention"])),
        Setting("min-responses", str(config.min_responses), _(KEYS["min-responses"])),
        Setting("language", config.language, _(KEYS["language"])),
    ]
    for tag, cadence in sorted(config.cadence.items(), key=lambda kv: (kv[0] == "default", kv)):
        if tag == "default":
            about = _("{cadence}: everyone else")
        else:
            about = _("{cadence}: tagged {tag}")
        about = about.format(cadence=said(describe_cadence(cadence)), tag=tag)
        out.append(Setting(f"cadence.{tag}", cadence, about))
    for d in sorted(config.delivery, key=lambda d: d.name):
        about = _("`hrtrust digest --post-to {name}` posts there").format(name=d.name)
        out.append(Setting(f"delivery.{d.name}.kind", d.kind or "none", about))
        out.append(
            Setting(
                f"delivery.{d.name}.url-env", d.url_env or "none", _("the variable holding its URL")
            )
        )
    return out


def parse_workdays(text: str) -> list[str]:
    """``mon-fri``, ``sun-thu``, ``mon,tue,thu``, ``mon-fri,sat`` -> day names in week order."""
    days: set[int] = set()
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        first, sep, last = part.partition("-")
        try:
            a = parse_weekday(first)
            b = parse_weekday(last) if sep else a
        except UsageError:
            raise UsageError(
                _("cannot read workdays {text!r}").format(text=text),
                hint=_("use e.g. mon-fri, sun-thu or mon,tue,thu"),
            ) from None
        span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
        days.update(span)
    if not days:
        raise UsageError(_("workdays cannot be empty"), hint=_("use e.g. mon-fri"))
    return [WEEKDAYS[i] for i in sorted(days)]


def canonical_key(key: str) -> str:
    k = key.strip().lower()
    k = _ALIASES.get(k, k)
    if k.startswith("delivery."):
        return _delivery_key(key, k)
    if k in KEYS or (k.startswith("cadence.") and len(k) > len("cadence.")):
        return k
    near = difflib.get_close_matches(k, [*KEYS, "cadence.ally", "cadence.manager"], n=1)
    listed = ", ".join(KEYS)
    if near:
        hint = _("did you mean {key}? settings: {keys}").format(key=near[0], keys=listed)
    else:
        hint = _("settings: {keys}").format(keys=listed)
    raise UsageError(_("unknown setting {key!r}").format(key=key), hint=hint)


def _delivery_key(typed: str, k: str) -> str:
    """``delivery.NAME.kind`` or ``delivery.NAME.url-env`` (``url_env`` too), else why not."""
    name, field = (k.split(".", 2) + ["", ""])[1:3]
    field = field.replace("_", "-")
    if not _DELIVERY_NAME.fullmatch(name):
        raise UsageError(
            _("cannot read the destination name in {key!r}").format(key=typed),
            hint=_(
                "use letters, digits, - or _, e.g. hrtrust config set delivery.teams.kind teams"
            ),
        )
    if field in ("kind", "url-env"):
        return f"delivery.{name}.{field}"
    if field in ("url", "uri", "webhook"):
        raise UsageError(
            _("a delivery URL is never stored in config.toml (it carries a secret)"),
            hint=_(
                "put it in an environment variable and name that: hrtrust config set "
                "delivery.{name}.url-env {variable}"
            ).format(name=name, variable=suggested_env(name)),
        )
    raise UsageError(
        _("unknown setting {key!r}").format(key=typed),
        hint=_("a destination has delivery.{name}.kind and delivery.{name}.url-env").format(
            name=name
        ),
    )


def suggested_env(name: str) -> str:
    """The variable a destination's URL could live in: ``HRTRUST_TEAMS_URL`` for ``teams``."""
    return f"HRTRUST_{name.upper().replace('-', '_')}_URL"


def _set_delivery(config: Config, key: str, text: str) -> None:
    """Set a destination's kind or variable; ``kind none`` removes the destination."""
    name, field = key.split(".", 2)[1:3]
    found = next((d for d in config.delivery if d.name == name), None)
    if field == "kind":
        if text.lower() in _CLEAR:
            config.delivery = [d for d in config.delivery if d.name != name]
            return
        kind = text.lower()
        if kind not in DELIVERY_KINDS:
            near = difflib.get_close_matches(kind, DELIVERY_KINDS, n=1)
            kinds = ", ".join(DELIVERY_KINDS)
            raise UsageError(
                _("unknown destination kind {kind!r}").format(kind=text),
                hint=(
                    _("did you mean {kind}? kinds: {kinds}").format(kind=near[0], kinds=kinds)
                    if near
                    else _("kinds: {kinds}").format(kinds=kinds)
                ),
            )
        value: dict[str, str] = {"kind": kind}
    else:
        # The value is never echoed: a URL pasted here by mistake is a secret.
        if any(c in text for c in "/.:"):
            raise UsageError(
                _(
                    "{key} takes the name of an environment variable, not the URL itself "
                    "(a URL is a secret and never stored in config.toml)"
                ).format(key=key),
                hint=_(
                    "export {variable}='https://...' and hrtrust config set {key} {variable}"
                ).format(key=key, variable=suggested_env(name)),
            )
        if not _ENV_NAME.fullmatch(text):
            raise UsageError(
                _(
                    "{key} must be the name of an environment variable (letters, digits and _)"
                ).format(key=key),
                hint=_("e.g. hrtrust config set {key} {variable}").format(
                    key=key, variable=suggested_env(name)
                ),
            )
        value = {"url_env": text}
    if found is None:
        config.delivery = [*config.delivery, Delivery(name=name, **value)]
    elif "kind" in value:
        found.kind = value["kind"]
    else:
        found.url_env = value["url_env"]


def set_value(
    config: Config,
    key: str,
    value: str,
    *,
    countries: Mapping[str, str],
    zones: Collection[str],
) -> Setting:
    """Change one setting in ``config`` after checking ``value``; returns it as now set.

    ``countries`` maps the ISO codes that have holiday data to country names; ``zones`` is the
    set of IANA time zone names.
    """
    k = canonical_key(key)
    text = value.strip()
    if k.startswith("delivery."):
        _set_delivery(config, k, text)
        shown = next((s for s in settings(config) if s.key == k), None)
        return shown or Setting(k, "none", _("no such destination any more"))
    if k == "timezone":
        config.timezone = timezone_name(text, zones)
    elif k == "country":
        config.country = None if text.lower() in _CLEAR else country_code(text, countries)
    elif k == "workdays":
        config.week = parse_workdays(text)
    elif k in ("reach-out-budget", "max-per-day"):
        low = 0 if k == "reach-out-budget" else 1
        if not text.isdigit() or not low <= int(text) <= _MAX_BUDGET:
            raise UsageError(
                _("{key} must be a whole number from {low} to {high}, not {value!r}").format(
                    key=k, low=low, high=_MAX_BUDGET, value=value
                ),
                hint=_("e.g. hrtrust config set {key} 5").format(key=k),
            )
        if k == "reach-out-budget":
            config.reach_out_per_week = int(text)
        else:
            config.max_per_day = int(text)
    elif k == "retention":
        config.retention = parse_retention(text)
    elif k == "language":
        config.language = language_tag(text)
    elif k == "min-responses":
        if not text.isdigit() or not MIN_RESPONSES_FLOOR <= int(text) <= _MAX_RESPONSES:
            raise UsageError(
                _("{key} must be a whole number from {low} to {high}, not {value!r}").format(
                    key="min-responses", low=MIN_RESPONSES_FLOOR, high=_MAX_RESPONSES, value=value
                ),
                hint=_(
                    "a smaller group could single people out; e.g. hrtrust config set "
                    "min-responses 5"
                ),
            )
        config.min_responses = int(text)
    else:
        tag = k.split(".", 1)[1]
        if text.lower() in _CLEAR:
            if tag == "default":
                raise UsageError(
                    _("cadence.default cannot be removed"), hint=_("set it, e.g. to 6w")
                )
            config.cadence.pop(tag, None)
        else:
            config.cadence[tag] = parse_cadence(text)
    return next(
        (s for s in settings(config) if s.key == k),
        Setting(k, "none", _("no cadence of its own: the default applies")),
    )


def language_tag(text: str) -> str:
    """``zh-TW``, ``en`` or ``auto`` from what was typed (``zh_TW``, ``zh-hant``, ``EN``)."""
    from hrtrust.locale import parse

    if text.strip().lower() == "auto":
        return "auto"
    found = parse(text)
    if found is None:
        raise UsageError(
            _("unknown language {text!r}").format(text=text),
            hint=_("use zh-TW (Traditional Chinese), en or auto"),
        )
    return found


def timezone_name(text: str, zones: Collection[str]) -> str:
    """``text`` if it is a known IANA time zone name (any case), else a clear error."""
    by_fold = {z.lower(): z for z in zones}
    if text.lower() in by_fold:
        return by_fold[text.lower()]
    near = difflib.get_close_matches(text, list(zones), n=2, cutoff=0.8)
    city = text.replace(" ", "_").lower()
    near += [z for z in sorted(zones) if z.lower().endswith("/" + city) and z not in near]
    if near:
        hint = _("did you mean {zones}? use an IANA name like Asia/Taipei or Europe/London")
    else:
        hint = _("use an IANA name like Asia/Taipei or Europe/London")
    raise UsageError(
        _("unknown time zone {text!r}").format(text=text),
        hint=hint.format(zones=", ".join(near[:3])),
    )


def country_code(text: str, countries: Mapping[str, str]) -> str:
    """An ISO 3166 code with holiday data (``tw``, ``TW`` or ``Taiwan``), else a clear error."""
    code = text.upper()
    if code in countries:
        return code
    by_name = {name.lower(): c for c, name in countries.items()}
    if text.lower() in by_name:
        return by_name[text.lower()]
    near = difflib.get_close_matches(text.lower(), list(by_name), n=2, cutoff=0.7)
    guess = ", ".join(f"{by_name[n]} ({countries[by_name[n]]})" for n in near)
    if guess:
        hint = _(
            "did you mean {countries}? use a two-letter ISO 3166 code like TW, JP, US or GB; "
            "none turns public holidays off"
        )
    else:
        hint = _(
            "use a two-letter ISO 3166 code like TW, JP, US or GB; none turns public holidays off"
        )
    raise UsageError(
        _("unknown country {text!r}").format(text=text), hint=hint.format(countries=guess)
    )
