"""Multiple-choice checks. Keys are compared case-insensitively after stripping spaces."""

from .feedback import fail, shorten, show, type_name


def _key(value):
    return str(value).strip().lower()


def _valid_key(found, options, name):
    """The option key that ``found`` names, or a :class:`CheckFailure` listing the valid keys."""
    __tracebackhide__ = True
    keys = {_key(k): k for k in options}
    valid = ", ".join(repr(str(k)) for k in options)
    if isinstance(found, bool) or not isinstance(found, (str, int)):
        fail(name, f"expected one of the option keys {valid}, found {type_name(found)}: {show(found)}",
             "hint: give the key as a string, e.g. found = 'a'." if found is None or isinstance(found, bool) else "")
    if _key(found) not in keys:
        fail(name, f"{show(found)} is not one of the options; the valid keys are {valid}")
    return keys[_key(found)]


def check_valid_choice(found, options, *, name="choice"):
    """Check only that ``found`` is one of the keys of ``options`` (for visible tests)."""
    __tracebackhide__ = True
    _valid_key(found, options, name)


def check_choice(found, correct, options, *, name="choice"):
    """Check that ``found`` is a valid key of ``options`` (dict key → option text) and the correct
    one. ``correct``: a key, or a collection of keys that are all accepted. A wrong choice is
    named with its text; the correct key is never printed.
    """
    __tracebackhide__ = True
    accepted = {_key(correct)} if isinstance(correct, (str, int)) else {_key(c) for c in correct}
    unknown = accepted - {_key(k) for k in options}
    if unknown:
        raise ValueError(f"check_choice ({name}): correct key(s) {sorted(unknown)} not among the options")
    key = _valid_key(found, options, name)
    if _key(key) not in accepted:
        fail(name, f"you chose {str(key)!r} (“{shorten(options[key], 150)}”), which is not the correct answer")
