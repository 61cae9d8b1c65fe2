"""A browser's view of a server-rendered form, for tests that submit a page's
form exactly as Chromium would without starting one: what the HTML parser
keeps (CR and CRLF become LF, one newline after ``<textarea>`` is dropped,
``<template>`` and ``<noscript>`` contents are not form controls) and what
submission sends (text inputs lose line breaks, textarea line breaks go as
CRLF, unchecked boxes send nothing, a select with no selected option sends
its first)."""

from __future__ import annotations

from html.parser import HTMLParser

TEXT_INPUTS = {"text", "hidden", "number", "email", "url", "search", "date", "tel"}


class _FormParser(HTMLParser):
    def __init__(self, form_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.in_form = False
        self.inert = 0  # depth inside <template> / <noscript>
        self.fields: list[tuple[str, str]] = []
        self.textarea: tuple[str, list[str]] | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: tuple[str | None, bool, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and self.form_class in a.get("class", "").split():
            self.in_form = True
            return
        if not self.in_form:
            return
        if tag in ("template", "noscript"):
            self.inert += 1
        if self.inert or "disabled" in a or "name" not in a:
            if tag == "option" and self.select is not None and not self.inert:
                self.option = (a.get("value"), "selected" in a, [])
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in TEXT_INPUTS:
                # The value sanitization algorithm strips line breaks.
                value = a.get("value", "").replace("\n", "")
                self.fields.append((name, value))
            elif kind in ("checkbox", "radio") and "checked" in a:
                self.fields.append((name, a.get("value", "on") or "on"))
        elif tag == "textarea":
            self.textarea = (name, [])
        elif tag == "select":
            self.select, self.options = name, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag in ("template", "noscript"):
            self.inert -= 1
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            value = "".join(parts)
            value = value.removeprefix("\n")
            self.fields.append((name, value.replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            given, selected, text = self.option
            self.options.append(
                (given if given is not None else "".join(text), selected)
            )
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [v for v, s in self.options if s] or [
                v for v, _ in self.options[:1]
            ]
            self.fields += [(self.select, v) for v in chosen[-1:]]
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option[2].append(data)


def form_values(html: str, form_class: str) -> dict[str, list[str]]:
    """The name/value pairs the form with ``form_class`` submits, by name in
    document order (for ``Client.post``)."""
    parser = _FormParser(form_class)
    parser.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    out: dict[str, list[str]] = {}
    for name, value in parser.fields:
        out.setdefault(name, []).append(value)
    return out
