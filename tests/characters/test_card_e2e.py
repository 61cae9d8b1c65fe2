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
