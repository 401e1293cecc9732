"""The language the app speaks, and the one translation function for every
sentence a person reads: widgets, dialogs, the tray, notices, the command
line, the core's red flags and insights, the report, the bedside card and
the voice.

Standard ``gettext``: sentences are marked with :func:`_` (or :func:`ngettext`
for counts, so Russian gets its three plural forms), extracted by Babel into
``coach/locale/coach.pot`` and translated in ``coach/locale/<lang>/LC_MESSAGES/coach.po``
(text, in the repository). The wheel carries them compiled (``.mo``, made by
the build); a source checkout compiles a catalogue on first use into the cache
folder, again whenever its ``.po`` changes. Adding a language is adding a
``.po`` file (and the content's texts): nothing here changes.

Qt-free, so the core can word its findings; the Qt layer listens for changes
and re-words its screens.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

DOMAIN = "coach"
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""Where the catalogues are, in a checkout and in an installed wheel alike."""

_current = DEFAULT
_translations: gettext.NullTranslations = gettext.NullTranslations()
_listeners: list[Callable[[str], None]] = []


def _(message: str) -> str:
    """The sentence in the current language (itself when untranslated)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` ("1 night", "2 ночи", "5 ночей"); format it after."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """For a word that translates differently in different places."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a sentence for the catalogue without translating it yet: for
    constants made at import time, translated with :func:`_` where shown."""
    return message


def available() -> tuple[str, ...]:
    """English, then every language with a catalogue, in code order."""
    found = sorted(entry.name for entry in LOCALE_DIR.iterdir()
                   if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
                   or (entry / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()) \
        if LOCALE_DIR.is_dir() else []
    return (DEFAULT, *(code for code in found if code != DEFAULT))


def language_code(name: str) -> str:
    """The language alone, as the catalogues are named: a locale name
    ("ru_RU.UTF-8", "sr@latin"), a tag ("ru-RU") or a code in capitals
    ("RU") all name "ru"."""
    return name.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()


def offered(name: str) -> str | None:
    """The language Cramp Coach has for ``name`` (see :func:`language_code`),
    or None when it has none."""
    code = language_code(name)
    return code if code in available() else None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the person's desktop speaks, if the app has it: read as
    gettext does (``LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    env = os.environ if environ is None else environ
    offered = available()
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            code = language_code(part)
            if code in offered:
                return code
            if code in ("c", "posix"):
                return DEFAULT
        if name != "LANGUAGE":
            break
    return DEFAULT


def resolve(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """The language for a setting: "" (or one Cramp Coach does not have)
    follows the system."""
    return offered(setting) or system_language(environ)


def current() -> str:
    """A language code such as "en" or "ru"."""
    return _current


def set_current(language: str) -> None:
    """Speak ``language`` from now on and tell every subscriber. A language
    without a usable catalogue is spoken in English (and logged), never half."""
    global _current, _translations
    translations = _load(language)
    if language != DEFAULT and type(translations) is gettext.NullTranslations:
        language = DEFAULT
    if language == _current:
        return
    _current, _translations = language, translations
    for listener in list(_listeners):
        listener(language)


def subscribe(listener: Callable[[str], None]) -> Callable[[], None]:
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe


def _load(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    try:
        with _compiled(folder).open("rb") as stream:
            return gettext.GNUTranslations(stream)
    except (OSError, ValueError) as exc:
        import logging  # only now: the command line's fastest commands never log

        logging.getLogger(__name__).warning("no usable %s catalogue (%s); English is used",
                                            language, exc)
        return gettext.NullTranslations()


def _compiled(folder: Path) -> Path:
    """The ``.mo`` for a catalogue folder: the wheel's own, or one compiled
    from the ``.po`` into the cache (again whenever the ``.po`` changes)."""
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.is_file():
        return mo
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo
    from coach.core import paths

    stat = po.stat()
    cached = (paths.cache_dir() / "locale"
              / f"{folder.parent.name}-{stat.st_size}-{stat.st_mtime_ns}.mo")
    if not cached.is_file():
        compile_catalogue(po, cached)
    return cached


def compile_catalogue(po: Path, mo: Path) -> None:
    """``.po`` to ``.mo`` with Babel (also what the wheel's build does)."""
    import tempfile  # only here: the command line imports this module to mark its words

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalogue = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    mo.parent.mkdir(parents=True, exist_ok=True)
    # A rebuildable cache, so no fsync or backup as for the person's own files
    # (and coach.core.atomic speaks through this module): a whole file or none.
    with tempfile.NamedTemporaryFile(dir=mo.parent, prefix=f".{mo.name}.",
                                     delete=False) as temp:
        temp.write(buffer.getvalue())
    os.replace(temp.name, mo)


def language_names(languages: Iterable[str]) -> dict[str, str]:
    """Each language in its own words ("English", "Русский"), as a
    language menu shows them, so a person finds theirs whatever is set now."""
    from babel import Locale

    names = {}
    for code in languages:
        name = Locale.parse(code).get_display_name(code) or code
        names[code] = name[:1].upper() + name[1:]
    return names
