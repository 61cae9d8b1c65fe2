"""The import page in a real Chromium: drag and drop a card, see an inline error
for a bad one, land on the character after a good one (desktop and phone)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from characters.models import Character
from community.models import User
from tests.characters.cardkit import V3_CARD, media_tmp, png_card

__all__ = ["media_tmp"]

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/kindred-e2e"))

DROP = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/octet-stream"}));
  const zone = document.querySelector("[data-dropzone]");
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


@pytest.mark.parametrize(
    "viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"]
)
def test_import_page_drag_and_drop(
    signed_in, live_server, user: User, viewport: tuple[int, int], media_tmp: Path
) -> None:
    import base64

    context = signed_in(user, width=viewport[0], height=viewport[1])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/create/import/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    tag = "desktop" if viewport[0] > 600 else "phone"
    page.screenshot(path=str(SHOTS / f"import-{tag}.png"), full_page=True)

    page.evaluate(DROP, ["broken.json", base64.b64encode(b"{oops").decode()])
    assert page.locator("[data-dropzone-name]").inner_text().startswith("broken.json")
    page.click("[data-import-submit]")
    page.wait_for_selector(".alert--error")
    assert "The file is not valid JSON" in page.inner_text(".alert--error")
    page.screenshot(path=str(SHOTS / f"import-error-{tag}.png"), full_page=True)
    assert Character.objects.count() == 0

    card = png_card(ccv3=V3_CARD)
    page.evaluate(DROP, ["keeper.png", base64.b64encode(card).decode()])
    page.check("input[name=publish]")
    assert not page.is_visible(".alert--error")  # the old error went with the old file
    page.screenshot(path=str(SHOTS / f"import-dropped-{tag}.png"), full_page=True)
    page.click("[data-import-submit]")
    page.wait_for_load_state()
    character = Character.objects.get()
    assert character.slug in page.url
    assert character.is_published and character.name == V3_CARD["data"]["name"]
    assert not [e for e in errors if "Content Security Policy" in e], json.dumps(errors)
    context.close()


def test_studio_counts_the_tagline_as_you_type(
    signed_in, live_server, user: User
) -> None:
    context = signed_in(user, width=1280)
    page = context.new_page()
    page.goto(f"{live_server.url}/create/")
    count = page.locator("input[name=tagline] + .field__count")
    assert count.inner_text() == "0 / 50"
    page.fill("input[name=tagline]", "x" * 49)
    assert count.inner_text() == "49 / 50" and "is-over" not in count.get_attribute(
        "class"
    )
    page.fill("input[name=tagline]", "x" * 61)
    assert count.inner_text() == "61 / 50" and "is-over" in count.get_attribute("class")
    context.close()


def test_saving_in_the_editor_keeps_the_card(
    signed_in, live_server, user: User, media_tmp: Path
) -> None:
    """The studio in Chromium: Save draft without edits leaves the imported card
    as it was (no draft); adding and removing greetings with the buttons saves
    just that, with the meter counting what the server counts."""
    from characters.card_services import character_export, character_import
    from characters.definition import prompt_length
    from characters.services import character_definition
    from tests.characters.cardkit import with_kindred
    from tests.characters.test_studio_save import OWL_CARD

    character = character_import(
        owner=user, upload=json.dumps(OWL_CARD).encode(), publish=True
    )
    context = signed_in(user, width=1280, height=800)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    edit = f"{live_server.url}/c/{character.slug}/edit/"
    page.goto(edit)
    meter = page.locator("[data-budget-used]")
    definition = character.published_version.data
    assert meter.inner_text() == f"{prompt_length(definition):,}"
    with page.expect_navigation():
        page.click("button[value=draft]")
    assert "No changes" in page.inner_text(".flash")
    character.refresh_from_db()
    assert character.draft is None
    content, _, _ = character_export(character=character, user=user, fmt="v3")
    assert json.loads(content) == with_kindred(OWL_CARD)

    # Remove the second greeting, add one with a --- line, then save.
    boxes = page.locator("#id_alternate_greetings textarea")
    assert boxes.count() == 3
    page.locator("#id_alternate_greetings [data-greeting-remove]").nth(1).click()
    assert boxes.count() == 2
    page.click("#id_alternate_greetings [data-greeting-add]")
    assert boxes.count() == 3
    assert page.evaluate(
        "() => document.activeElement === "
        "document.querySelectorAll('#id_alternate_greetings textarea')[2]"
    )
    page.keyboard.type("Bye!\n---\nSee you. 🦉")
    labels = page.locator("#id_alternate_greetings label").all_inner_texts()
    assert labels == ["Greeting 1", "Greeting 2", "Greeting 3"]
    shown = int(meter.inner_text().replace(",", ""))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "studio-greetings-desktop.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[value=draft]")
    assert "Definition changes saved as a draft" in page.inner_text(".flash")
    character.refresh_from_db()
    data = character_definition(character)[0]
    assert data["alternate_greetings"] == [
        "Hi!\n---\nA divider above.",
        "---",
        "Bye!\n---\nSee you. 🦉",
    ]
    assert [e["keys"] for e in data["character_book"]["entries"]] == [
        e["keys"] for e in OWL_CARD["data"]["character_book"]["entries"]
    ]
    assert prompt_length(data) == shown
    # (The live server speaks no websockets: the notification badge's socket fails.)
    assert not [e for e in errors if "WebSocket" not in e], errors
    context.close()
